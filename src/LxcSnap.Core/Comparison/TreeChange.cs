namespace LxcSnap.Core.Comparison;

/// <summary>How one path differs between two root filesystems, from the first to the second.</summary>
public enum ChangeKind
{
    /// <summary>Only the second has it.</summary>
    Added,
    /// <summary>Only the first has it.</summary>
    Deleted,
    /// <summary>A regular file in both, with other contents (its metadata may differ too).</summary>
    Modified,
    /// <summary>Of another kind in each: a file in one, a directory or symlink in the other.</summary>
    TypeChanged,
    /// <summary>The same contents, other metadata: <see cref="MetadataDifference"/> says which.</summary>
    MetadataChanged,
}

/// <summary>
/// The metadata a comparison looks at besides contents. Times are not among them: an mtime that
/// differs only makes the contents of a regular file be compared.
/// </summary>
[Flags]
public enum MetadataDifference
{
    None = 0,
    /// <summary>Permission bits, setuid, setgid and sticky included.</summary>
    Mode = 1,
    /// <summary>Owner or group.</summary>
    Owner = 2,
    /// <summary>Extended attributes (names or values), overlayfs's own ones in a layer left out.</summary>
    ExtendedAttributes = 4,
    /// <summary>Where a symlink points, compared as text (never followed).</summary>
    SymlinkTarget = 8,
    /// <summary>A device node's major and minor numbers.</summary>
    DeviceNumber = 16,
}

/// <summary>One changed path.</summary>
/// <param name="Path">Relative to the root filesystem, without a leading slash, '/' between names: <c>etc/passwd</c>.</param>
/// <param name="Metadata">For <see cref="ChangeKind.Modified"/> and <see cref="ChangeKind.MetadataChanged"/>: the metadata that differs too.</param>
public sealed record TreeChange(string Path, ChangeKind Kind, MetadataDifference Metadata = MetadataDifference.None);

public static class MetadataDifferenceText
{
    /// <summary>The single differences in <paramref name="differences"/>, in declaration order.</summary>
    public static IEnumerable<MetadataDifference> Each(this MetadataDifference differences) =>
        Enum.GetValues<MetadataDifference>().Where(difference => difference != MetadataDifference.None && differences.HasFlag(difference));
}
