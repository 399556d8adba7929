using LxcSnap.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace LxcSnap.Core.Copying;

/// <summary>
/// Copies one regular file's contents by the fastest means the file system offers, learning as it
/// goes: the first file FICLONE refuses turns reflinks off for the rest of the tree, and likewise
/// for copy_file_range. Holes stay holes: a sparse file is copied range by range between
/// SEEK_DATA and SEEK_HOLE (copy_file_range on ext4 would otherwise write its holes as zeros).
/// Thread-safe: one instance serves the parallel workers of a tree copy.
/// </summary>
internal sealed class FileContentCopier
{
    private volatile bool _reflinkWorks = true;
    private volatile bool _copyFileRangeWorks = true;
    private int _used;

    /// <summary>Every method used so far.</summary>
    public ContentCopyMethod Used => (ContentCopyMethod)Volatile.Read(ref _used);

    public void Copy(SafeFileHandle source, SafeFileHandle destination, FileStatus status, string destinationPath)
    {
        if (status.Size == 0)
            return;
        if (_reflinkWorks)
        {
            if (PosixFiles.TryClone(source, destination) is not { } errno)
            {
                Record(ContentCopyMethod.Reflink);
                return;
            }
            if (!IsUnsupported(errno))
                throw new FileSystemCallException("clone into", destinationPath, errno);
            _reflinkWorks = false;
        }

        if (!status.MayBeSparse)
        {
            CopyRange(source, destination, 0, status.Size, destinationPath);
            return;
        }
        for (var data = PosixFiles.Seek(source, 0, data: true, destinationPath); data >= 0 && data < status.Size;)
        {
            var hole = PosixFiles.Seek(source, data, data: false, destinationPath);
            var end = hole < 0 ? status.Size : Math.Min(hole, status.Size);
            CopyRange(source, destination, data, end - data, destinationPath);
            data = end >= status.Size ? -1 : PosixFiles.Seek(source, end, data: true, destinationPath);
        }
        PosixFiles.Truncate(destination, status.Size, destinationPath); // a trailing hole has no data range
    }

    private void CopyRange(SafeFileHandle source, SafeFileHandle destination, long offset, long length, string destinationPath)
    {
        if (_copyFileRangeWorks)
        {
            if (PosixFiles.TryCopyRange(source, destination, offset, length, destinationPath) is not { } errno)
            {
                Record(ContentCopyMethod.CopyFileRange);
                return;
            }
            if (!IsUnsupported(errno))
                throw new FileSystemCallException("copy into", destinationPath, errno);
            _copyFileRangeWorks = false;
        }
        PosixFiles.CopyRangeByReading(source, destination, offset, length, destinationPath);
        Record(ContentCopyMethod.ReadWrite);
    }

    private void Record(ContentCopyMethod method)
    {
        if ((Volatile.Read(ref _used) & (int)method) == 0)
            Interlocked.Or(ref _used, (int)method);
    }

    /// <summary>The errnos that mean "not here" (other file system, no support), not "went wrong".</summary>
    private static bool IsUnsupported(Errno errno) =>
        errno is Errno.EOPNOTSUPP or Errno.EXDEV or Errno.EINVAL or Errno.ENOTTY or Errno.ENOSYS;
}
