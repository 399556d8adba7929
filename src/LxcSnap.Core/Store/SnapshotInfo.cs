using LxcSnap.Core.Containers;

namespace LxcSnap.Core.Store;

/// <summary>One snapshot in a store, as a user lists it.</summary>
/// <param name="Name">Container and version: <c>web_3</c>.</param>
/// <param name="Location">The snapshot as a container: <c>lxc-start -P STORE -n web_3</c> starts it.</param>
/// <param name="Timestamp">The <c>ts</c> file's text (<c>2026:11:28 14:05:09</c>, local time), if any.</param>
/// <param name="Comment">The <c>comment</c> file's text, if any.</param>
/// <param name="Backing">How its rootfs is stored.</param>
public sealed record SnapshotInfo(
    SnapshotName Name,
    ContainerRef Location,
    string? Timestamp,
    string? Comment,
    BackingStoreKind Backing)
{
    /// <summary>The time the snapshot was taken, local time; null when <c>ts</c> is missing or malformed.</summary>
    public DateTime? Time => SnapshotMetadata.ParseTimestamp(Timestamp);
}
