using System.Runtime.InteropServices;

namespace LxcSnap.Core.Interop;

/// <summary>The calls that move file contents: extent cloning, in-kernel copy, holes, plain I/O.</summary>
internal static partial class FileCopyNative
{
    /// <summary>ioctl FICLONE: share all of a file's extents with another file (XFS reflink=1, btrfs).</summary>
    public const ulong FiClone = 0x40049409;

    public const int SeekData = 3;
    public const int SeekHole = 4;

    public const int OpenWriteOnly = 1;
    public const int OpenCreate = 0x40;
    public const int OpenExclusive = 0x80;
    public const int OpenNoFollow = 0x20000;
    public const int OpenNoAccessTime = 0x40000;
    public const int OpenCloseOnExec = 0x80000;

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static partial int ioctl(int fd, ulong request, int argument);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static unsafe partial nint copy_file_range(int inFd, long* inOffset, int outFd, long* outOffset, nint length, uint flags);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static partial long lseek(int fd, long offset, int whence);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static unsafe partial nint pread(int fd, byte* buffer, nint count, long offset);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static unsafe partial nint pwrite(int fd, byte* buffer, nint count, long offset);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static partial int ftruncate(int fd, long length);
}
