using System.Runtime.InteropServices;
using LxcSnap.Core.Containers;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core.Store;

/// <summary>
/// Builds a container out of sight and publishes it with one rename(2), so that at any instant
/// its final name holds either nothing (or the container it replaces) or the complete new one.
///
/// The copy is made as <c>LXCPATH/.lxcsnap/staging/ID/NAME</c> (same name, private lxcpath, same
/// filesystem), flushed to disk, its config paths moved to <c>LXCPATH/NAME</c>, and renamed into
/// place: RENAME_NOREPLACE for a new name, RENAME_EXCHANGE to replace a container atomically.
/// A process killed at any point leaves only its staging directory behind, recognisable because
/// nobody holds its lock; <see cref="RecoverAbandoned"/> removes it on the next run.
/// </summary>
internal sealed class Staging : IDisposable
{
    private readonly FileLock _lock;
    private readonly string _stageLxcPath;

    private Staging(ContainerRef final, string stageLxcPath, FileLock heldLock)
    {
        Final = final;
        _stageLxcPath = stageLxcPath;
        _lock = heldLock;
    }

    /// <summary>Where the container will be published.</summary>
    public ContainerRef Final { get; }

    /// <summary>Where liblxc builds it: clone into this.</summary>
    public ContainerRef Staged => new(_stageLxcPath, Final.Name);

    public static Staging Begin(ContainerRef final)
    {
        var root = LxcSnapDirectory.Staging(final.LxcPath);
        Directory.CreateDirectory(root);
        var id = $"{final.Name}.{Environment.ProcessId}.{Convert.ToHexString(Guid.NewGuid().ToByteArray(), 0, 4).ToLowerInvariant()}";
        var stageLxcPath = Path.Combine(root, id);
        var heldLock = FileLock.Acquire(stageLxcPath + ".lock");
        try
        {
            // Unflushed is enough: a stage whose target was lost in a crash is removed whole.
            DurableFile.ReplaceWithoutFlush(stageLxcPath + ".target", $"{final.LxcPath}\n{final.Name}\n");
            Directory.CreateDirectory(stageLxcPath);
            return new Staging(final, stageLxcPath, heldLock);
        }
        catch
        {
            heldLock.DeleteAndRelease();
            throw;
        }
    }

    /// <summary>
    /// Makes the staged container durable and moves it to its final name. With
    /// <paramref name="replaceExisting"/> an existing container there is swapped out atomically
    /// and then removed; without it an existing one is an error and nothing changes.
    /// </summary>
    /// <returns>True when a container was replaced.</returns>
    public bool Publish(bool replaceExisting, Action<string>? notice)
    {
        ContainerConfig.RelocatePaths(Staged, Staged.Directory, Final.Directory);
        DurableFile.SyncFileSystem(Staged.Directory);

        var replacing = replaceExisting && Directory.Exists(Final.Directory);
        var flags = replacing ? LibcNative.RenameExchange : LibcNative.RenameNoReplace;
        if (LibcNative.renameat2(LibcNative.AtCurrentDirectory, Staged.Directory, LibcNative.AtCurrentDirectory, Final.Directory, (uint)flags) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            ContainerConfig.RelocatePaths(Staged, Final.Directory, Staged.Directory);
            if (errno == LibcNative.EEXIST || (errno == 39 /* ENOTEMPTY */ && !replacing))
                throw new LxcSnapException(LxcSnapError.TargetExists, $"{Final} appeared while it was being made; nothing was changed.");
            throw new LxcSnapException(LxcSnapError.FilesystemFailed,
                $"could not move the finished copy into place as {Final}: {Marshal.GetPInvokeErrorMessage(errno)}.");
        }
        DurableFile.SyncDirectory(Final.LxcPath);

        if (replacing)
        {
            // The replaced container now sits where the stage was, its config still naming the
            // final directory: point it at itself before anything removes it.
            ContainerConfig.RelocatePaths(Staged, Final.Directory, Staged.Directory);
            try
            {
                ContainerRemoval.Discard(Staged);
            }
            catch (Exception e) when (e is LxcSnapException or IOException or UnauthorizedAccessException)
            {
                notice?.Invoke($"the replaced copy of {Final} could not be removed yet ({e.Message}); the next lxc-snap run removes it.");
            }
        }
        return replacing;
    }

    /// <summary>Removes whatever is still staged, unless it was published; always releases the lock.</summary>
    public void Dispose()
    {
        try
        {
            // After publishing, the stage holds nothing, or the container that was replaced.
            DiscardStage(_stageLxcPath, Final);
            File.Delete(_stageLxcPath + ".target");
        }
        finally
        {
            _lock.DeleteAndRelease();
        }
    }

    /// <summary>
    /// Removes staging directories of processes that died mid-way (their lock is free) under
    /// <paramref name="lxcPath"/>, and says what it removed.
    /// </summary>
    public static IReadOnlyList<string> RecoverAbandoned(string lxcPath)
    {
        var root = LxcSnapDirectory.Staging(lxcPath);
        if (!Directory.Exists(root))
            return [];
        var recovered = new List<string>();
        foreach (var lockFile in Directory.EnumerateFiles(root, "*.lock"))
        {
            using var abandoned = FileLock.TryAcquire(lockFile);
            if (abandoned is null)
                continue; // its owner is alive and still working
            var stageLxcPath = lockFile[..^".lock".Length];
            var final = ReadTarget(stageLxcPath + ".target");
            if (final is not null)
                DiscardStage(stageLxcPath, final);
            else if (Directory.Exists(stageLxcPath))
                Directory.Delete(stageLxcPath, recursive: true);
            File.Delete(stageLxcPath + ".target");
            abandoned.DeleteAndRelease();
            recovered.Add($"removed the unfinished copy of '{final?.Name ?? Path.GetFileName(stageLxcPath)}' left by an interrupted lxc-snap in {lxcPath}");
        }
        // Begin creates the lock file before the directory and Dispose deletes it after, so a
        // directory without a lock file belongs to nobody.
        foreach (var orphan in Directory.EnumerateDirectories(root).Where(d => !File.Exists(d + ".lock")))
            Directory.Delete(orphan, recursive: true);
        return recovered;
    }

    private static void DiscardStage(string stageLxcPath, ContainerRef final)
    {
        var staged = new ContainerRef(stageLxcPath, final.Name);
        if (staged.ConfigExists)
        {
            // Whether it was relocated already or not, make every path name its own directory.
            ContainerConfig.RelocatePaths(staged, final.Directory, staged.Directory);
            var dependsOn = Dependencies.DependsOn(staged);
            ContainerRemoval.Discard(staged);
            foreach (var dependency in dependsOn)
                Dependencies.Reconcile(dependency);
        }
        if (Directory.Exists(stageLxcPath))
            Directory.Delete(stageLxcPath, recursive: true);
    }

    private static ContainerRef? ReadTarget(string targetFile)
    {
        if (!File.Exists(targetFile))
            return null;
        var lines = File.ReadAllLines(targetFile);
        return lines.Length >= 2 && ContainerName.Problem(lines[1]) is null ? new ContainerRef(lines[0], lines[1]) : null;
    }
}
