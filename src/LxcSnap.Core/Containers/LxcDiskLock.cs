using LxcSnap.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace LxcSnap.Core.Containers;

/// <summary>
/// liblxc's per-container disk lock: an open-file-description write lock on
/// <c>/run/lxc/lock/LXCPATH/.NAME</c>. Taking the same lock keeps our edits of LXC's files from
/// interleaving with liblxc's own (lxc-copy, lxc-destroy). Never hold it across a liblxc call
/// on the same container: liblxc would wait for us forever.
/// </summary>
internal sealed class LxcDiskLock : IDisposable
{
    private const string Root = "/run/lxc/lock/";
    private readonly SafeFileHandle _fd;

    private LxcDiskLock(SafeFileHandle fd) => _fd = fd;

    public static unsafe LxcDiskLock Acquire(ContainerRef container)
    {
        var directory = DirectoryOf(container.LxcPath);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "." + container.Name);
        var fd = LibcNative.open(path, LibcNative.OpenReadWrite | LibcNative.OpenCreate | LibcNative.OpenCloseOnExec, 0b110_000_000);
        if (fd < 0)
            throw FileLock.Failed("open", path, ErrnoExtensions.LastError());
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var record = new FileLockRecord { Type = LibcNative.WriteLock };
        while (LibcNative.fcntl(fd, LibcNative.FcntlSetOfdLockWait, &record) != 0)
        {
            var errno = ErrnoExtensions.LastError();
            if (errno == Errno.EINTR)
                continue;
            handle.Dispose();
            throw FileLock.Failed("lock", path, errno);
        }
        return new LxcDiskLock(handle);
    }

    /// <summary>
    /// Removes the lock files liblxc made for the containers of <paramref name="lxcPath"/>, a
    /// staging lxcpath that no longer exists: liblxc makes one per container object it opens and
    /// never removes them, so every stage would leave a directory in /run behind.
    /// </summary>
    public static void ForgetLxcPath(string lxcPath)
    {
        try
        {
            TreeRemoval.Remove(DirectoryOf(lxcPath));
        }
        catch (Exception e) when (e is LxcSnapException or IOException or UnauthorizedAccessException)
        {
            // Empty lock files on a tmpfs: leaving them costs nothing.
        }
    }

    private static string DirectoryOf(string lxcPath) => Root + Path.GetFullPath(lxcPath).Trim('/');

    public void Dispose() => _fd.Dispose();
}
