using System.Runtime.InteropServices;

namespace LxcSnap.Core.Interop;

/// <summary>The calls that make names and set what a copy must keep besides contents: owner, mode, times, xattrs.</summary>
internal static partial class FileMetadataNative
{
    public const int AtCurrentDirectory = -100;
    public const int AtSymlinkNoFollow = 0x100;

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int mkdir(string path, uint mode);

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int mknod(string path, uint mode, ulong device);

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int symlink(string target, string path);

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static unsafe partial nint readlink(string path, byte* buffer, nint size);

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int link(string existing, string path);

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int lchown(string path, uint uid, uint gid);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static partial int fchown(int fd, uint uid, uint gid);

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int chmod(string path, uint mode);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static partial int fchmod(int fd, uint mode);

    /// <summary>utimensat with two <c>struct timespec</c> (atime, mtime), nanoseconds kept.</summary>
    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static unsafe partial int utimensat(int dirFd, string path, TimeSpec* times, int flags);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static unsafe partial int futimens(int fd, TimeSpec* times);

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static unsafe partial nint llistxattr(string path, byte* list, nint size);

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static unsafe partial nint lgetxattr(string path, string name, byte* value, nint size);

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static unsafe partial int lsetxattr(string path, string name, byte* value, nint size, int flags);

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int lremovexattr(string path, string name);
}

/// <summary><c>struct timespec</c> on 64-bit Linux.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TimeSpec
{
    public long Seconds;
    public long Nanoseconds;
}
