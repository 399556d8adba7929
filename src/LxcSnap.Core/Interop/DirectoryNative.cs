using System.Runtime.InteropServices;

namespace LxcSnap.Core.Interop;

/// <summary>
/// Directory calls relative to an open directory (the *at family): a walk that holds each
/// directory open by descriptor cannot be sent elsewhere by a symlink swapped in mid-way.
/// </summary>
internal static unsafe partial class DirectoryNative
{
    public const int OpenDirectory = 0x10000;
    public const int OpenNoFollow = 0x20000;
    public const int OpenCloseOnExec = 0x80000;
    public const int RemoveDirectory = 0x200; // AT_REMOVEDIR

    public const byte TypeUnknown = 0; // DT_UNKNOWN
    public const byte TypeDirectory = 4; // DT_DIR

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int openat(int dirFd, string path, int flags, int mode);

    /// <summary>Takes ownership of <paramref name="fd"/>: closedir closes it.</summary>
    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static partial IntPtr fdopendir(int fd);

    /// <summary>The next entry, or null at the end (errno unchanged) or on error (errno set).</summary>
    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static partial DirectoryEntry* readdir64(IntPtr directory);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static partial int closedir(IntPtr directory);

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int unlinkat(int dirFd, string path, int flags);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static partial int dup(int fd);
}

/// <summary><c>struct dirent64</c>: the name starts at byte 19 and is NUL-terminated.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct DirectoryEntry
{
    public ulong Inode;
    public long Offset;
    public ushort RecordLength;
    public byte Type;
    public fixed byte Name[256];
}
