using System.Runtime.InteropServices;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core;

/// <summary>
/// The rules for the directories lxc-snap keeps containers in (an lxcpath, a snapshot store),
/// checked before anything is written there. LXC stores such paths in line-based files
/// (lxc_snapshots, lxc_rdepends) and in colon-separated values (<c>overlay:LOWER:UPPER</c>), so a
/// newline or a colon in one would corrupt other containers' records for good.
/// </summary>
internal static class PathRules
{
    /// <summary>File systems that hold no files of their own: nothing can be kept there.</summary>
    private static readonly HashSet<string> PseudoFileSystems =
        ["proc", "sysfs", "cgroup", "cgroup2", "devpts", "securityfs", "debugfs", "tracefs", "configfs", "bpf", "pstore", "efivarfs", "fusectl", "mqueue"];

    /// <summary>Why <paramref name="path"/> cannot be an lxcpath or store, or null.</summary>
    public static string? Problem(string? path)
    {
        if (string.IsNullOrEmpty(path))
            return "it is empty";
        if (path.Any(char.IsControl))
            return "it contains a control character (a newline, tab, escape...), which LXC's dependency records cannot hold";
        if (path.Contains(':'))
            return "it contains ':', which LXC's overlay paths (overlay:LOWER:UPPER) cannot hold";
        return null;
    }

    /// <summary>The full path, or <see cref="LxcSnapError.InvalidArgument"/> naming <paramref name="role"/> ("snapshot store", "lxcpath").</summary>
    public static string Validate(string? path, string role)
    {
        if (Problem(path) is { } problem)
            throw new LxcSnapException(LxcSnapError.InvalidArgument, $"invalid {role} {Printable.Quote(path)}: {problem}.");
        return Path.GetFullPath(path!).TrimEnd('/') is { Length: > 0 } full ? full : "/";
    }

    /// <summary>
    /// Makes sure <paramref name="path"/> is a directory containers can be kept in, creating it
    /// (rwxr-xr-x, as LXC makes its own) and its parents when missing. Refuses, naming the path
    /// and what is in the way, a file where a directory should be and a pseudo file system.
    /// </summary>
    public static void EnsureDirectory(string path, string role)
    {
        switch (PathAccess.Kind(path))
        {
            case FileKind.Directory:
                return;
            case FileKind.Symlink when Directory.Exists(path):
                return;
            case { } other:
                throw new LxcSnapException(LxcSnapError.InvalidArgument,
                    $"the {role} {path} is a {Describe(other)}, not a directory: choose a directory.");
        }
        var existing = NearestExisting(path);
        if (PathAccess.Kind(existing) is { } kind and not FileKind.Directory && !Directory.Exists(existing))
        {
            throw new LxcSnapException(LxcSnapError.InvalidArgument,
                $"the {role} {path} cannot be made: {existing} is a {Describe(kind)}, not a directory. Choose another directory.");
        }
        if (FileSystemType(existing) is { } type && PseudoFileSystems.Contains(type))
        {
            throw new LxcSnapException(LxcSnapError.InvalidArgument,
                $"the {role} {path} would be on {existing}, a {type} file system that holds no files: choose a directory on a disk.");
        }
        try
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                                            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        catch (UnauthorizedAccessException e)
        {
            throw FileSystemErrors.PermissionDenied(existing, e);
        }
        catch (IOException e)
        {
            throw new LxcSnapException(LxcSnapError.FilesystemFailed, $"the {role} {path} cannot be made: {e.Message}", e);
        }
    }

    /// <summary>
    /// <paramref name="path"/> with every symlink resolved, also when its last parts do not exist
    /// yet: the nearest existing ancestor resolved, the rest appended.
    /// </summary>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        var existing = NearestExisting(full);
        var pointer = LibcNative.realpath(existing, IntPtr.Zero);
        if (pointer == IntPtr.Zero)
            return full;
        try
        {
            var resolved = Marshal.PtrToStringUTF8(pointer)!.TrimEnd('/');
            return resolved + full[existing.TrimEnd('/').Length..];
        }
        finally
        {
            LibcNative.free(pointer);
        }
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or lies inside it, symlinks resolved on both sides.</summary>
    public static bool IsWithin(string path, string directory)
    {
        var inner = Resolve(path);
        var outer = Resolve(directory);
        return inner == outer || inner.StartsWith(outer.TrimEnd('/') + "/", StringComparison.Ordinal);
    }

    private static string NearestExisting(string path)
    {
        var current = Path.GetFullPath(path).TrimEnd('/');
        while (current.Length > 1 && PathAccess.Kind(current) is null)
            current = Path.GetDirectoryName(current) ?? "/";
        return current.Length == 0 ? "/" : current;
    }

    private static string? FileSystemType(string path)
    {
        try
        {
            return new DriveInfo(path).DriveFormat;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "file",
        FileKind.Symlink => "dangling symlink",
        FileKind.CharacterDevice or FileKind.BlockDevice => "device",
        FileKind.Fifo => "FIFO",
        FileKind.Socket => "socket",
        _ => "directory",
    };
}
