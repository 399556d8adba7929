using System.Runtime.InteropServices;

namespace LxcSnap.Core.Interop;

/// <summary>statx(2): one fixed, architecture-independent layout for everything a copy must preserve.</summary>
internal static partial class FileStatNative
{
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtEmptyPath = 0x1000;
    public const uint StatxBasicStats = 0x7ff;

    /// <summary>STATX_ATTR_MOUNT_ROOT: the entry is the root of a mount.</summary>
    public const ulong AttributeMountRoot = 0x2000;

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int statx(int dirFd, string path, int flags, uint mask, out StatxRecord buffer);
}

/// <summary><c>struct statx_timestamp</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct StatxTimestamp
{
    public long Seconds;
    public uint Nanoseconds;
    private readonly int _reserved;
}

/// <summary><c>struct statx</c> (256 bytes, the same on every Linux architecture).</summary>
[StructLayout(LayoutKind.Sequential, Size = 256)]
internal struct StatxRecord
{
    public uint Mask;
    public uint BlockSize;
    public ulong Attributes;
    public uint LinkCount;
    public uint Uid;
    public uint Gid;
    public ushort Mode;
    private readonly ushort _padding;
    public ulong Inode;
    public ulong Size;
    public ulong Blocks;
    public ulong AttributesMask;
    public StatxTimestamp AccessTime;
    public StatxTimestamp BirthTime;
    public StatxTimestamp ChangeTime;
    public StatxTimestamp ModificationTime;
    public uint RdevMajor;
    public uint RdevMinor;
    public uint DevMajor;
    public uint DevMinor;
}
