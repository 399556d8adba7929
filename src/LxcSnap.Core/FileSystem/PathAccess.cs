using LxcSnap.Core.Interop;

namespace LxcSnap.Core;

/// <summary>
/// Whether a path exists, told apart from whether we may look: .NET's File.Exists says false for
/// both, which made an unprivileged user read "no container 'base'" about a container that is
/// there but unreadable.
/// </summary>
internal static class PathAccess
{
    /// <summary>True when <paramref name="path"/> exists, false when it does not; <see cref="LxcSnapError.PermissionDenied"/> when we may not look.</summary>
    public static bool Exists(string path) => Kind(path) is not null;

    /// <summary>What <paramref name="path"/> is (not following a final symlink), null when it does not exist; <see cref="LxcSnapError.PermissionDenied"/> when we may not look.</summary>
    public static FileKind? Kind(string path)
    {
        if (PosixFiles.TryStat(path, out var errno) is { } status)
            return status.Kind;
        if (errno.IsPermissionDenied())
            throw FileSystemErrors.PermissionDenied(Unsearchable(path));
        return null; // ENOENT, or ENOTDIR: a part of the path is a file
    }

    /// <summary>The directory along <paramref name="path"/> that refuses us: the last one we can still stat.</summary>
    private static string Unsearchable(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        for (var parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (PosixFiles.TryStat(parent, out _) is not null)
                return parent;
        }
        return full;
    }
}
