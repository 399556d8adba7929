using LxcSnap.Core.Interop;

namespace LxcSnap.Core.Containers;

/// <summary>
/// liblxc's per-container disk lock: an open-file-description write lock on
/// <c>/run/lxc/lock/LXCPATH/.NAME</c>. Taking the same lock keeps our edits of LXC's files from
/// interleaving with liblxc's own (lxc-copy, lxc-destroy). Never hold it across a liblxc call
/// on the same container: liblxc would wait for us forever.
/// </summary>
internal sealed class LxcDiskLock : IDisposable
{
    private readonly int _fd;

    private LxcDiskLock(int fd) => _fd = fd;

    public static unsafe LxcDiskLock Acquire(ContainerRef container)
    {
        var directory = "/run/lxc/lock/" + Path.GetFullPath(container.LxcPath).Trim('/');
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "." + container.Name);
        var fd = LibcNative.open(path, LibcNative.OpenReadWrite | LibcNative.OpenCreate | LibcNative.OpenCloseOnExec, 0b110_000_000);
        if (fd < 0)
            throw FileLock.Failed("open", path);
        var record = new FileLockRecord { Type = LibcNative.WriteLock };
        while (LibcNative.fcntl(fd, LibcNative.FcntlSetOfdLockWait, &record) != 0)
        {
            if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == LibcNative.EINTR)
                continue;
            LibcNative.close(fd);
            throw FileLock.Failed("lock", path);
        }
        return new LxcDiskLock(fd);
    }

    public void Dispose() => LibcNative.close(_fd);
}
