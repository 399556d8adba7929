using System.Runtime.InteropServices;
using System.Text;
using LxcSnap.Core.Containers;

namespace LxcSnap.Core.Interop;

/// <summary>
/// One liblxc container object: each native function gets one managed method that checks its
/// result and turns a failure into an <see cref="LxcSnapException"/> carrying liblxc's log lines.
/// Nothing outside the Interop folder sees a pointer.
/// </summary>
internal sealed unsafe class LxcContainer : IDisposable
{
    private readonly LxcContainerHandle _handle;

    private LxcContainer(ContainerRef reference, LxcContainerHandle handle)
    {
        Ref = reference;
        _handle = handle;
    }

    public ContainerRef Ref { get; }

    /// <summary>Opens the liblxc object; it exists even when no such container does (see <see cref="IsDefined"/>).</summary>
    public static LxcContainer Open(ContainerRef reference)
    {
        LxcLibrary.EnsureLoaded();
        lock (LxcLibrary.Gate)
        {
            var mark = LxcLibrary.Log.Mark();
            var handle = LxcNative.lxc_container_new(reference.Name, reference.LxcPath);
            if (handle.IsInvalid)
            {
                handle.Dispose();
                throw Failure($"liblxc could not open container {reference}", mark);
            }
            return new LxcContainer(reference, handle);
        }
    }

    public bool IsDefined => Call(c => ((delegate* unmanaged<IntPtr, byte>)LxcContainerSlots.Read(c, LxcContainerSlots.IsDefined))(c) != 0);

    public bool IsRunning => Call(c => ((delegate* unmanaged<IntPtr, byte>)LxcContainerSlots.Read(c, LxcContainerSlots.IsRunning))(c) != 0);

    /// <summary>"STOPPED", "RUNNING", "FROZEN", ... as liblxc names them.</summary>
    public string State => Call(c =>
        Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr, IntPtr>)LxcContainerSlots.Read(c, LxcContainerSlots.State))(c)) ?? "UNKNOWN");

    public void Freeze() => Require(
        c => ((delegate* unmanaged<IntPtr, byte>)LxcContainerSlots.Read(c, LxcContainerSlots.Freeze))(c) != 0,
        $"could not freeze {Ref}");

    public void Unfreeze() => Require(
        c => ((delegate* unmanaged<IntPtr, byte>)LxcContainerSlots.Read(c, LxcContainerSlots.Unfreeze))(c) != 0,
        $"could not thaw {Ref}");

    public void Stop() => Require(
        c => ((delegate* unmanaged<IntPtr, byte>)LxcContainerSlots.Read(c, LxcContainerSlots.Stop))(c) != 0,
        $"could not stop {Ref}");

    /// <summary>Waits up to <paramref name="timeout"/> for the container to reach <paramref name="state"/> ("STOPPED", "RUNNING").</summary>
    public bool WaitFor(string state, TimeSpan timeout) => Call(c =>
    {
        var wait = (delegate* unmanaged<IntPtr, byte*, int, byte>)LxcContainerSlots.Read(c, LxcContainerSlots.Wait);
        var stateBytes = Encoding.UTF8.GetBytes(state + '\0');
        fixed (byte* statePointer = stateBytes)
        {
            return wait(c, statePointer, (int)timeout.TotalSeconds) != 0;
        }
    });

    /// <summary>Destroys the container and its storage; liblxc refuses while others depend on it.</summary>
    public void Destroy() => Require(
        c => ((delegate* unmanaged<IntPtr, byte>)LxcContainerSlots.Read(c, LxcContainerSlots.Destroy))(c) != 0,
        $"could not destroy {Ref}");

    /// <summary>A config item's value, or null when it is unset or unknown.</summary>
    public string? GetConfigItem(string key) => Call(c =>
    {
        var getItem = (delegate* unmanaged<IntPtr, byte*, byte*, int, int>)LxcContainerSlots.Read(c, LxcContainerSlots.GetConfigItem);
        var keyBytes = Encoding.UTF8.GetBytes(key + '\0');
        fixed (byte* keyPointer = keyBytes)
        {
            var length = getItem(c, keyPointer, null, 0);
            if (length <= 0)
                return null;
            var buffer = new byte[length + 1];
            fixed (byte* bufferPointer = buffer)
            {
                length = getItem(c, keyPointer, bufferPointer, buffer.Length);
            }
            return length < 0 ? null : Encoding.UTF8.GetString(buffer, 0, Math.Min(length, buffer.Length - 1));
        }
    });

    /// <summary>
    /// Clones this container to <paramref name="target"/>. liblxc fork()s inside this process
    /// (rsync and the rootfs update run in children); the caller gets the new container open.
    /// A clone whose forked child deadlocked (see <see cref="HungForkWatchdog"/>) is tried once more:
    /// liblxc removed what the failed one made.
    /// </summary>
    /// <param name="describedAs">The name to give the copy in messages (its final name, not the staging area it is made in).</param>
    public LxcContainer Clone(ContainerRef target, CloneFlags flags, string? backingStoreType, ContainerRef? describedAs = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var watchdog = HungForkWatchdog.Arm();
            try
            {
                return CloneOnce(target, flags, backingStoreType, describedAs ?? target);
            }
            catch (LxcSnapException e) when (watchdog.KilledHungChild)
            {
                if (attempt == 2)
                {
                    throw new LxcSnapException(LxcSnapError.LxcFailed,
                        $"{e.Message}\n  (twice, liblxc's forked child deadlocked and was stopped; run lxc-snap again)", e);
                }
            }
        }
    }

    private LxcContainer CloneOnce(ContainerRef target, CloneFlags flags, string? backingStoreType, ContainerRef describedAs)
    {
        IntPtr created = IntPtr.Zero;
        Require(c =>
        {
            var clone = (delegate* unmanaged<IntPtr, byte*, byte*, int, byte*, byte*, ulong, IntPtr, IntPtr>)
                LxcContainerSlots.Read(c, LxcContainerSlots.Clone);
            var nameBytes = Encoding.UTF8.GetBytes(target.Name + '\0');
            var pathBytes = Encoding.UTF8.GetBytes(target.LxcPath + '\0');
            var typeBytes = backingStoreType is null ? null : Encoding.UTF8.GetBytes(backingStoreType + '\0');
            fixed (byte* name = nameBytes, path = pathBytes, type = typeBytes)
            {
                created = clone(c, name, path, (int)flags, type, null, 0, IntPtr.Zero);
            }
            return created != IntPtr.Zero;
        }, $"could not copy {Ref} to {describedAs}");
        return new LxcContainer(target, new LxcContainerHandle(created));
    }

    public void Dispose() => _handle.Dispose();

    private T Call<T>(Func<IntPtr, T> call)
    {
        lock (LxcLibrary.Gate)
        {
            var added = false;
            _handle.DangerousAddRef(ref added);
            try
            {
                return call(_handle.DangerousGetHandle());
            }
            finally
            {
                if (added)
                    _handle.DangerousRelease();
            }
        }
    }

    private void Require(Func<IntPtr, bool> call, string what)
    {
        lock (LxcLibrary.Gate)
        {
            var mark = LxcLibrary.Log.Mark();
            if (!Call(call))
                throw Failure(what, mark);
        }
    }

    private static LxcSnapException Failure(string what, long logMark)
    {
        var lines = LxcLibrary.Log.LinesSince(logMark);
        var reason = lines.Count == 0
            ? " (liblxc gave no reason)"
            : ":" + string.Concat(lines.Select(line => "\n  liblxc: " + line));
        return new LxcSnapException(LxcSnapError.LxcFailed, what + reason);
    }
}
