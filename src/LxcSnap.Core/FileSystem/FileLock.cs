using System.Runtime.InteropServices;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core;

/// <summary>
/// An exclusive flock(2) on a lock file. The kernel drops it when the process dies, which is what
/// lets a later run tell an abandoned operation from one still under way.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private int _fd;

    private FileLock(int fd, string path)
    {
        _fd = fd;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Waits until the lock is free, then holds it.</summary>
    public static FileLock Acquire(string path) => TryAcquire(path, wait: true)!;

    /// <summary>Holds the lock if it is free right now; null if another process holds it.</summary>
    public static FileLock? TryAcquire(string path) => TryAcquire(path, wait: false);

    private static FileLock? TryAcquire(string path, bool wait)
    {
        var fd = LibcNative.open(path, LibcNative.OpenReadWrite | LibcNative.OpenCreate | LibcNative.OpenCloseOnExec, 0b110_100_100);
        if (fd < 0)
            throw Failed("open", path);
        var operation = LibcNative.LockExclusive | (wait ? 0 : LibcNative.LockNonBlocking);
        while (LibcNative.flock(fd, operation) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == LibcNative.EINTR)
                continue;
            LibcNative.close(fd);
            if (errno == LibcNative.EWOULDBLOCK)
                return null;
            throw Failed("lock", path);
        }
        return new FileLock(fd, path);
    }

    /// <summary>Removes the lock file while still holding the lock, then releases it.</summary>
    public void DeleteAndRelease()
    {
        File.Delete(Path);
        Dispose();
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            LibcNative.close(_fd);
            _fd = -1;
        }
    }

    internal static LxcSnapException Failed(string what, string path) =>
        new(LxcSnapError.FilesystemFailed,
            $"could not {what} lock file {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
}
