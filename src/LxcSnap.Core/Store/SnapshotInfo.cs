using LxcSnap.Core.Containers;

namespace LxcSnap.Core.Store;

/// <summary>One snapshot in a store, as a user lists it.</summary>
/// <param name="Name">Container and version: <c>web_3</c>.</param>
/// <param name="Location">The snapshot as a container: <c>lxc-start -P STORE -n web_3</c> starts it.</param>
/// <param name="Timestamp">The <c>ts</c> file's text (<c>2026:11:28 14:05:09</c>, local time), if it holds a valid time.</param>
/// <param name="Comment">The <c>comment</c> file's bytes, if any.</param>
public sealed record SnapshotInfo(
    SnapshotName Name,
    ContainerRef Location,
    string? Timestamp,
    SnapshotComment? Comment)
{
    /// <summary>What is wrong with the snapshot's metadata files (a corrupt ts, a FIFO for a comment), for people; empty when nothing is.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>
    /// How its rootfs is stored, from <c>lxc.rootfs.path</c> in its config (Other when that names
    /// none); null when it was listed without reading the configs (<see cref="SnapshotStore.Snapshots"/>).
    /// </summary>
    public BackingStoreKind? Backing { get; init; }

    /// <summary>Who and what made it (its provenance.json); null for snapshots made without one, and when the file is unreadable (see <see cref="Problems"/>).</summary>
    public Provenance? Provenance { get; init; }

    /// <summary>The time the snapshot was taken, local time; null when <c>ts</c> is missing or malformed.</summary>
    public DateTime? Time => SnapshotMetadata.ParseTimestamp(Timestamp);
}
