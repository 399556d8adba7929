using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace LxcSnap.Core.Interop;

/// <summary>The kind of a directory entry, from the file type bits of its mode.</summary>
internal enum FileKind
{
    Regular,
    Directory,
    Symlink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
}

/// <summary>A point in time with nanoseconds, as the kernel keeps it.</summary>
internal readonly record struct FileTime(long Seconds, uint Nanoseconds);

/// <summary>What lstat tells about one entry: everything a faithful copy reproduces, and what identifies its inode.</summary>
internal sealed record FileStatus(
    FileKind Kind,
    uint Permissions,
    uint Uid,
    uint Gid,
    long Size,
    long AllocatedBytes,
    uint LinkCount,
    (ulong Device, ulong Inode) Identity,
    ulong DeviceNumber,
    FileTime AccessTime,
    FileTime ModificationTime)
{
    /// <summary>The mode as mknod wants it: type and permission bits.</summary>
    public uint TypeAndPermissions => Permissions | Kind switch
    {
        FileKind.CharacterDevice => 0x2000u,
        FileKind.BlockDevice => 0x6000u,
        FileKind.Fifo => 0x1000u,
        FileKind.Socket => 0xC000u,
        FileKind.Directory => 0x4000u,
        FileKind.Symlink => 0xA000u,
        _ => 0x8000u,
    };

    /// <summary>Fewer blocks than bytes: the file has holes worth keeping.</summary>
    public bool MayBeSparse => Kind == FileKind.Regular && AllocatedBytes < Size;

    /// <summary>Whether something is mounted here (STATX_ATTR_MOUNT_ROOT); null when the kernel does not say (before 5.8).</summary>
    public bool? IsMountRoot { get; init; }

    /// <summary>
    /// The root of a btrfs subvolume inside the same mount: a device number of its own, as for a
    /// mount point, but no mount (btrfs numbers every subvolume's root inode 256).
    /// </summary>
    public bool IsSubvolumeRoot => Kind == FileKind.Directory && IsMountRoot == false && Identity.Inode == BtrfsSubvolumeRootInode;

    private const ulong BtrfsSubvolumeRootInode = 256;
}

/// <summary>
/// The managed face of the file-system calls the tree copy makes: paths and file descriptors in,
/// records out, failures as <see cref="FileSystemCallException"/> carrying errno.
/// </summary>
internal static unsafe class PosixFiles
{
    /// <summary>lstat: the entry itself, a symlink included (never its target).</summary>
    public static FileStatus Stat(string path) => TryStat(path, out var errno) ?? throw new FileSystemCallException("stat", path, errno);

    /// <summary>lstat, or null with the reason (ENOENT, EACCES, ...).</summary>
    public static FileStatus? TryStat(string path, out Errno errno) =>
        TryStatAt(FileMetadataNative.AtCurrentDirectory, path, out errno);

    /// <summary>fstat: what an open descriptor refers to.</summary>
    public static FileStatus? TryStatDescriptor(SafeFileHandle fd, out Errno errno) =>
        TryStatAt(Fd(fd), "", out errno, FileStatNative.AtEmptyPath);

    /// <summary>The descriptor number, for the calls below: the handle stays the owner.</summary>
    private static int Fd(SafeFileHandle handle) => (int)handle.DangerousGetHandle();

    /// <summary>lstat of <paramref name="name"/> inside the open directory <paramref name="directoryFd"/>.</summary>
    public static FileStatus? TryStatAt(int directoryFd, string name, out Errno errno, int extraFlags = 0)
    {
        errno = 0;
        if (FileStatNative.statx(directoryFd, name, FileStatNative.AtSymlinkNoFollow | extraFlags, FileStatNative.StatxBasicStats, out var s) != 0)
        {
            errno = ErrnoExtensions.LastError();
            return null;
        }
        return new FileStatus(KindOf(s.Mode), s.Mode & 0xFFFu, s.Uid, s.Gid, (long)s.Size, (long)s.Blocks * 512, s.LinkCount,
            (((ulong)s.DevMajor << 32) | s.DevMinor, s.Inode), MakeDevice(s.RdevMajor, s.RdevMinor),
            new FileTime(s.AccessTime.Seconds, s.AccessTime.Nanoseconds),
            new FileTime(s.ModificationTime.Seconds, s.ModificationTime.Nanoseconds))
        {
            IsMountRoot = (s.AttributesMask & FileStatNative.AttributeMountRoot) == 0 ? null : (s.Attributes & FileStatNative.AttributeMountRoot) != 0,
        };
    }

    /// <summary>
    /// Only the kind and size of <paramref name="name"/> in <paramref name="directoryFd"/> (not
    /// following a final symlink), without a <see cref="FileStatus"/>: for the two or three small
    /// files a listing looks at per snapshot. False with the reason when it cannot be stat'ed.
    /// </summary>
    public static bool TryKindAndSizeAt(int directoryFd, string name, int extraFlags, out FileKind kind, out long size, out Errno errno)
    {
        errno = 0;
        if (FileStatNative.statx(directoryFd, name, FileStatNative.AtSymlinkNoFollow | extraFlags, FileStatNative.StatxBasicStats, out var s) != 0)
        {
            errno = ErrnoExtensions.LastError();
            (kind, size) = (default, 0);
            return false;
        }
        (kind, size) = (KindOf(s.Mode), (long)s.Size);
        return true;
    }

    private static FileKind KindOf(uint mode) => (mode & 0xF000) switch
    {
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.Symlink,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0x1000 => FileKind.Fifo,
        0xC000 => FileKind.Socket,
        _ => FileKind.Regular,
    };

    /// <summary>glibc's makedev: the dev_t mknod wants.</summary>
    private static ulong MakeDevice(uint major, uint minor) =>
        ((ulong)(major & 0xfff) << 8) | ((ulong)(major & ~0xfffu) << 32) | (minor & 0xff) | ((ulong)(minor & ~0xffu) << 12);

    /// <summary>
    /// Opens a file to copy it, with O_NOATIME where allowed (root may): copying must not change
    /// the source's access times, which the copy reproduces.
    /// </summary>
    public static SafeFileHandle OpenForReading(string path)
    {
        const int flags = LibcNative.OpenReadOnly | FileCopyNative.OpenNoFollow | FileCopyNative.OpenCloseOnExec;
        var fd = LibcNative.open(path, flags | FileCopyNative.OpenNoAccessTime, 0);
        if (fd < 0 && ErrnoExtensions.LastError() == Errno.EPERM)
            fd = LibcNative.open(path, flags, 0);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw Failed("open", path);
    }

    /// <summary>Creates a new file (never an existing one, never through a symlink), owner-only until its mode is copied.</summary>
    public static SafeFileHandle CreateForWriting(string path)
    {
        var fd = LibcNative.open(path, FileCopyNative.OpenWriteOnly | FileCopyNative.OpenCreate | FileCopyNative.OpenExclusive
                                            | FileCopyNative.OpenNoFollow | FileCopyNative.OpenCloseOnExec, 0b110_000_000);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw Failed("create", path);
    }

    /// <summary>FICLONE: null when the destination now shares all of the source's extents, else errno.</summary>
    public static Errno? TryClone(SafeFileHandle source, SafeFileHandle destination) =>
        FileCopyNative.ioctl(Fd(destination), FileCopyNative.FiClone, Fd(source)) == 0 ? null : ErrnoExtensions.LastError();

    /// <summary>
    /// copy_file_range of [offset, offset+length) to the same offset; returns null, or the errno of
    /// a first call that failed (the caller falls back); throws on a failure after progress.
    /// </summary>
    public static Errno? TryCopyRange(SafeFileHandle sourceHandle, SafeFileHandle destinationHandle, long offset, long length, string path)
    {
        var (source, destination) = (Fd(sourceHandle), Fd(destinationHandle));
        long inOffset = offset, outOffset = offset;
        var remaining = length;
        while (remaining > 0)
        {
            var copied = FileCopyNative.copy_file_range(source, &inOffset, destination, &outOffset, (nint)Math.Min(remaining, 1L << 30), 0);
            if (copied < 0)
            {
                var errno = ErrnoExtensions.LastError();
                if (errno == Errno.EINTR)
                    continue;
                if (remaining == length)
                    return errno;
                throw new FileSystemCallException("copy", path, errno);
            }
            if (copied == 0)
                break; // the source shrank while we copied: it ends here
            remaining -= copied;
        }
        return null;
    }

    /// <summary>pread into <paramref name="buffer"/> at <paramref name="offset"/>: the bytes read, 0 at the end of the file.</summary>
    public static int ReadAt(int fd, Span<byte> buffer, long offset, string path)
    {
        fixed (byte* pointer = buffer)
        {
            while (true)
            {
                var read = FileCopyNative.pread(fd, pointer, buffer.Length, offset);
                if (read >= 0)
                    return (int)read;
                if (ErrnoExtensions.LastError() != Errno.EINTR)
                    throw Failed("read", path);
            }
        }
    }

    /// <summary>Plain pread/pwrite copy of a range, for file systems without copy_file_range.</summary>
    public static void CopyRangeByReading(SafeFileHandle sourceHandle, SafeFileHandle destinationHandle, long offset, long length, string path)
    {
        var (source, destination) = (Fd(sourceHandle), Fd(destinationHandle));
        var buffer = new byte[(int)Math.Min(Math.Max(length, 4096), 1 << 20)];
        fixed (byte* pointer = buffer)
        {
            var end = offset + length;
            while (offset < end)
            {
                var read = FileCopyNative.pread(source, pointer, (nint)Math.Min(buffer.Length, end - offset), offset);
                if (read < 0 && ErrnoExtensions.LastError() == Errno.EINTR)
                    continue;
                if (read < 0)
                    throw Failed("read", path);
                if (read == 0)
                    break;
                for (nint written = 0; written < read;)
                {
                    var n = FileCopyNative.pwrite(destination, pointer + written, read - written, offset + written);
                    if (n < 0 && ErrnoExtensions.LastError() == Errno.EINTR)
                        continue;
                    if (n < 0)
                        throw Failed("write", path);
                    written += n;
                }
                offset += read;
            }
        }
    }

    /// <summary>The next data or hole offset at or after <paramref name="offset"/> (SEEK_DATA/SEEK_HOLE); -1 past the last data.</summary>
    public static long Seek(SafeFileHandle fd, long offset, bool data, string path)
    {
        var result = FileCopyNative.lseek(Fd(fd), offset, data ? FileCopyNative.SeekData : FileCopyNative.SeekHole);
        if (result >= 0)
            return result;
        var errno = ErrnoExtensions.LastError();
        return errno == Errno.ENXIO ? -1 : throw new FileSystemCallException("seek in", path, errno);
    }

    public static void Truncate(SafeFileHandle fd, long length, string path)
    {
        if (FileCopyNative.ftruncate(Fd(fd), length) != 0)
            throw Failed("set the size of", path);
    }

    public static void MakeDirectory(string path)
    {
        if (FileMetadataNative.mkdir(path, 0b111_000_000) != 0)
            throw Failed("create directory", path);
    }

    public static void MakeNode(string path, uint typeAndPermissions, ulong device)
    {
        if (FileMetadataNative.mknod(path, typeAndPermissions, device) != 0)
            throw Failed("create", path);
    }

    public static void MakeSymlink(string target, string path)
    {
        if (FileMetadataNative.symlink(target, path) != 0)
            throw Failed("create symlink", path);
    }

    public static void MakeHardLink(string existing, string path)
    {
        if (FileMetadataNative.link(existing, path) != 0)
            throw Failed("link", path);
    }

    /// <summary>A symlink's target, byte for byte (names need not be UTF-8, but ours are read as such).</summary>
    public static string ReadLink(string path)
    {
        var buffer = new byte[4096];
        fixed (byte* pointer = buffer)
        {
            var length = FileMetadataNative.readlink(path, pointer, buffer.Length);
            return length >= 0 ? Encoding.UTF8.GetString(buffer, 0, (int)length) : throw Failed("read symlink", path);
        }
    }

    public static void SetOwner(SafeFileHandle fd, uint uid, uint gid, string path)
    {
        if (FileMetadataNative.fchown(Fd(fd), uid, gid) != 0)
            throw Failed("set the owner of", path);
    }

    public static void SetOwner(string path, uint uid, uint gid)
    {
        if (FileMetadataNative.lchown(path, uid, gid) != 0)
            throw Failed("set the owner of", path);
    }

    public static void SetPermissions(SafeFileHandle fd, uint permissions, string path)
    {
        if (FileMetadataNative.fchmod(Fd(fd), permissions) != 0)
            throw Failed("set the mode of", path);
    }

    public static void SetPermissions(string path, uint permissions)
    {
        if (FileMetadataNative.chmod(path, permissions) != 0)
            throw Failed("set the mode of", path);
    }

    public static void SetTimes(SafeFileHandle fd, FileTime access, FileTime modification, string path)
    {
        var times = stackalloc TimeSpec[2];
        times[0] = new TimeSpec { Seconds = access.Seconds, Nanoseconds = access.Nanoseconds };
        times[1] = new TimeSpec { Seconds = modification.Seconds, Nanoseconds = modification.Nanoseconds };
        if (FileMetadataNative.futimens(Fd(fd), times) != 0)
            throw Failed("set the times of", path);
    }

    /// <summary>Sets times on the entry itself, a symlink included (never its target).</summary>
    public static void SetTimes(string path, FileTime access, FileTime modification)
    {
        var times = stackalloc TimeSpec[2];
        times[0] = new TimeSpec { Seconds = access.Seconds, Nanoseconds = access.Nanoseconds };
        times[1] = new TimeSpec { Seconds = modification.Seconds, Nanoseconds = modification.Nanoseconds };
        if (FileMetadataNative.utimensat(FileMetadataNative.AtCurrentDirectory, path, times, FileMetadataNative.AtSymlinkNoFollow) != 0)
            throw Failed("set the times of", path);
    }

    /// <summary>Every extended attribute of the entry itself (not a symlink's target): user.*, trusted.*, security.*, system.*.</summary>
    public static IReadOnlyList<(string Name, byte[] Value)> ReadExtendedAttributes(string path)
    {
        var size = FileMetadataNative.llistxattr(path, null, 0);
        if (size < 0)
        {
            var errno = ErrnoExtensions.LastError();
            return errno == Errno.EOPNOTSUPP ? [] : throw new FileSystemCallException("list the extended attributes of", path, errno);
        }
        if (size == 0)
            return [];
        var list = new byte[size];
        fixed (byte* pointer = list)
        {
            size = FileMetadataNative.llistxattr(path, pointer, list.Length);
        }
        if (size < 0)
            throw Failed("list the extended attributes of", path);
        var attributes = new List<(string, byte[])>();
        foreach (var name in Encoding.UTF8.GetString(list, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var value = ReadExtendedAttribute(path, name);
            if (value is not null)
                attributes.Add((name, value));
        }
        return attributes;
    }

    private static byte[]? ReadExtendedAttribute(string path, string name)
    {
        while (true)
        {
            var size = FileMetadataNative.lgetxattr(path, name, null, 0);
            if (size < 0)
            {
                var errno = ErrnoExtensions.LastError();
                return errno == Errno.ENODATA ? null : throw new FileSystemCallException($"read attribute {name} of", path, errno);
            }
            var value = new byte[size];
            fixed (byte* pointer = value)
            {
                var read = FileMetadataNative.lgetxattr(path, name, pointer, value.Length);
                if (read >= 0)
                    return read == value.Length ? value : value[..(int)read];
                if (ErrnoExtensions.LastError() != Errno.ERANGE)
                    throw Failed($"read attribute {name} of", path);
            } // it grew between the two calls: ask again
        }
    }

    public static void WriteExtendedAttribute(string path, string name, byte[] value)
    {
        fixed (byte* pointer = value)
        {
            if (FileMetadataNative.lsetxattr(path, name, pointer, value.Length, 0) != 0)
                throw Failed($"set attribute {name} on", path);
        }
    }

    /// <summary>Removes one extended attribute; one that is not there is no error.</summary>
    public static void RemoveExtendedAttribute(string path, string name)
    {
        if (FileMetadataNative.lremovexattr(path, name) != 0 && ErrnoExtensions.LastError() != Errno.ENODATA)
            throw Failed($"remove attribute {name} from", path);
    }

    private static FileSystemCallException Failed(string what, string path) =>
        new(what, path, ErrnoExtensions.LastError());
}

/// <summary>A file-system call that failed, with its errno and the path it was made on.</summary>
internal sealed class FileSystemCallException(string what, string path, Errno errno)
    : IOException($"could not {what} {path}: {errno.Describe()}")
{
    public Errno Errno { get; } = errno;

    public string Path { get; } = path;
}
