using LxcSnap.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace LxcSnap.Core;

/// <summary>
/// A flock(2) on a lock file. The kernel drops it when the process dies, which is what lets a
/// later run tell an abandoned operation from one still under way.
///
/// A lock file that is ever unlinked needs care: a process can open it just before another
/// unlinks it and then hold a lock on a name that no longer exists. <see cref="TryClaim"/> checks
/// for that; lock files that are never unlinked (the store lock, container locks) need no check.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private const int LockShared = 1;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int OpenExclusive = 0x80;

    /// <summary>rw-r----- like LXC's own config files: lock files hold nothing, but nobody else needs them.</summary>
    private const int FileMode = 0b110_100_000;

    private readonly SafeFileHandle _fd;

    private FileLock(SafeFileHandle fd, string path)
    {
        _fd = fd;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Waits until the lock is free, then holds it (creating the file if needed).</summary>
    /// <param name="shared">A shared lock, which others may hold at the same time; excludes only exclusive holders.</param>
    public static FileLock Acquire(string path, bool shared = false) =>
        Take(path, LibcNative.OpenCreate, shared ? LockShared : LockExclusive, path)!;

    /// <summary>Holds the lock if it is free right now (creating the file if needed); null if another process holds it.</summary>
    public static FileLock? TryAcquire(string path) =>
        Take(path, LibcNative.OpenCreate, LockExclusive | LockNonBlocking, path);

    /// <summary>Creates a new lock file already locked: nobody can ever see it unlocked while we live.</summary>
    public static FileLock CreateHeld(string path) =>
        Take(path, LibcNative.OpenCreate | OpenExclusive, LockExclusive | LockNonBlocking, path)
        ?? throw new LxcSnapException(LxcSnapError.FilesystemFailed, $"lock file {path} was locked by another process as soon as it was made.");

    /// <summary>
    /// Takes over an existing lock file whose holder is gone: null if the file does not exist, its
    /// lock is held, or the name no longer leads to the file we locked (it was unlinked, or
    /// replaced, between our open and our lock).
    /// </summary>
    public static FileLock? TryClaim(string path)
    {
        var taken = Take(path, 0, LockExclusive | LockNonBlocking, path);
        if (taken is null || taken.IsStillNamedBy(path))
            return taken;
        taken.Dispose();
        return null;
    }

    /// <summary>Removes the lock file while still holding the lock, then releases it.</summary>
    public void DeleteAndRelease()
    {
        File.Delete(Path);
        Dispose();
    }

    public void Dispose() => _fd.Dispose();

    private bool IsStillNamedBy(string path)
    {
        var named = PosixFiles.TryStat(path, out _);
        var held = PosixFiles.TryStatDescriptor(_fd, out _);
        return named is not null && held is not null && named.Identity == held.Identity;
    }

    private static FileLock? Take(string path, int openFlags, int operation, string displayPath)
    {
        var fd = LibcNative.open(path, LibcNative.OpenReadWrite | LibcNative.OpenCloseOnExec | openFlags, FileMode);
        if (fd < 0)
        {
            var errno = ErrnoExtensions.LastError();
            if (errno == Errno.ENOENT && (openFlags & LibcNative.OpenCreate) == 0)
                return null;
            throw Failed("open", displayPath, errno);
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        while (LibcNative.flock(fd, operation) != 0)
        {
            var errno = ErrnoExtensions.LastError();
            if (errno == Errno.EINTR)
                continue;
            handle.Dispose();
            if (errno == ErrnoExtensions.EWOULDBLOCK)
                return null;
            throw Failed("lock", displayPath, errno);
        }
        return new FileLock(handle, path);
    }

    internal static LxcSnapException Failed(string what, string path, Errno errno) =>
        FileSystemErrors.From(new FileSystemCallException($"{what} lock file", path, errno));
}
