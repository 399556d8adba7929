using System.Runtime.InteropServices;

namespace LxcSnap.Core.Interop;

/// <summary>The libc calls .NET has no managed equivalent for.</summary>
internal static partial class LibcNative
{
    public const int RenameNoReplace = 1;
    public const int RenameExchange = 2;
    public const int AtCurrentDirectory = -100;

    public const int OpenReadOnly = 0;
    public const int OpenReadWrite = 2;
    public const int OpenCreate = 0x40;
    public const int OpenAppend = 0x400;
    public const int OpenNonBlocking = 0x800;
    public const int OpenNoFollow = 0x20000;
    public const int OpenDirectory = 0x10000;
    public const int OpenCloseOnExec = 0x80000;

    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;

    public const uint MemfdCloseOnExec = 1;

    /// <summary>Frees memory that liblxc allocated for the caller.</summary>
    [LibraryImport(Libraries.Libc)]
    public static partial void free(IntPtr pointer);

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int renameat2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int open(string path, int flags, int mode);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static partial int close(int fd);

    /// <summary>The canonical absolute path, symlinks resolved; malloc'd (free it), or null with errno.</summary>
    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static partial int flock(int fd, int operation);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static partial int fsync(int fd);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static partial int syncfs(int fd);

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int memfd_create(string name, uint flags);

    /// <summary>fcntl with a <c>struct flock</c>, for the open-file-description locks LXC uses.</summary>
    [LibraryImport(Libraries.Libc, SetLastError = true)]
    public static unsafe partial int fcntl(int fd, int command, FileLockRecord* record);

    public const int FcntlSetOfdLockWait = 38; // F_OFD_SETLKW
    public const short WriteLock = 1;           // F_WRLCK
}

/// <summary><c>struct flock</c> on x86_64 (32 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FileLockRecord
{
    public short Type;
    public short Whence;
    public long Start;
    public long Length;
    public int Pid;
}
