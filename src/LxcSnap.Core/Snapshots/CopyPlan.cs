using LxcSnap.Core.Containers;
using LxcSnap.Core.Copying;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core.Snapshots;

/// <summary>What a copy made of the container's rootfs.</summary>
public enum CopyKind
{
    /// <summary>Every file copied (reflinks, where the file system has them, share the data).</summary>
    FullCopy,

    /// <summary>An overlay container's delta copied, its lower layer shared.</summary>
    OverlayDelta,

    /// <summary>The backing store's own snapshot (btrfs, zfs, lvm).</summary>
    NativeSnapshot,
}

/// <summary>How a snapshot or restore was copied: for programs (the JSON's <c>copy</c>) and, as <see cref="Description"/>, for people.</summary>
/// <param name="DataCopiedBy">What moved the file data (none for a native snapshot, or a tree of metadata only).</param>
/// <param name="Store">The backing store of the copy's source.</param>
public sealed record CopyMethod(CopyKind Kind, ContentCopyMethod DataCopiedBy, BackingStoreKind Store)
{
    public bool LowerLayerShared => Kind == CopyKind.OverlayDelta;

    /// <summary>"full copy (reflink)", "overlay snapshot: delta copied (copy_file_range), lower layer shared", "native btrfs snapshot".</summary>
    public string Description => Kind switch
    {
        CopyKind.OverlayDelta => $"overlay snapshot: delta copied ({DataCopiedBy.Describe()}), lower layer shared",
        CopyKind.NativeSnapshot => $"native {Store.ToString().ToLowerInvariant()} snapshot",
        _ => $"full copy ({DataCopiedBy.Describe()})",
    };

    public override string ToString() => Description;
}

/// <summary>How a container is copied, chosen from its backing store: by lxc-snap itself, or by liblxc's clone with these flags.</summary>
/// <param name="OwnCopy">Copy the container with <see cref="Copying.ContainerCopy"/> instead of liblxc's rsync.</param>
internal sealed record CopyPlan(CloneFlags Flags, string? BackingStoreType, CopyKind Kind, bool MayFallBackToFullCopy = false, bool OwnCopy = false)
{
    /// <summary>
    /// overlay: the delta is copied and the lower layer shared, O(delta), by lxc-snap's own tree
    /// copy. btrfs, zfs, lvm: the store's native snapshot. dir: a full copy by lxc-snap's own
    /// tree copy (reflinks where the file system has them). Anything else: liblxc's full copy into
    /// a directory. Never an overlay snapshot of a dir container, whose lower layer would be the
    /// live rootfs of the source and would change with it.
    /// </summary>
    /// <param name="keepIdentity">Keep hostname and MAC address: for snapshots, and for restoring a container under its own name.</param>
    public static CopyPlan For(BackingStore source, bool keepIdentity, bool allowRunning)
    {
        var flags = (keepIdentity ? CloneFlags.KeepName | CloneFlags.KeepMacAddress : CloneFlags.None)
                    | (allowRunning ? CloneFlags.AllowRunning : CloneFlags.None);
        CopyPlan plan = source.Kind switch
        {
            BackingStoreKind.Overlay => new(flags | CloneFlags.Snapshot, null, CopyKind.OverlayDelta, OwnCopy: true),
            BackingStoreKind.Btrfs or BackingStoreKind.Zfs or BackingStoreKind.Lvm =>
                new(flags | CloneFlags.Snapshot, null, CopyKind.NativeSnapshot, MayFallBackToFullCopy: true),
            BackingStoreKind.Dir => new(flags, "dir", CopyKind.FullCopy, OwnCopy: true),
            _ => new(flags, "dir", CopyKind.FullCopy),
        };
        return plan with { Source = source };
    }

    /// <summary>The source's backing store, the plan was chosen from.</summary>
    public BackingStore? Source { get; init; }

    /// <summary>What moved the data, once the copy is made: liblxc's rsync unless lxc-snap's own copy says otherwise.</summary>
    public ContentCopyMethod DataCopiedBy { get; init; } = ContentCopyMethod.LiblxcRsync;

    /// <summary>
    /// The copied rootfs is on disk when the copy returns, so publishing need flush only the
    /// files around it: a btrfs snapshot is made inside a transaction commit (the kernel writes
    /// out the source's pending data first). Flushing the whole file system instead was a
    /// third of a btrfs snapshot's time. Not claimed for zfs and lvm, which cannot be tried here.
    /// </summary>
    public bool RootfsDurableWhenCopied =>
        Source?.Kind == BackingStoreKind.Btrfs && Kind == CopyKind.NativeSnapshot;

    /// <summary>How the copy was made, to report.</summary>
    public CopyMethod Method => new(Kind, Kind == CopyKind.NativeSnapshot ? ContentCopyMethod.None : DataCopiedBy, Source?.Kind ?? BackingStoreKind.Other);

    /// <summary>The plan with the methods lxc-snap's own copy used.</summary>
    public CopyPlan CopiedBy(ContentCopyMethod methods) => this with { DataCopiedBy = methods };

    /// <summary>The plain directory copy to fall back on when a native snapshot is not possible there.</summary>
    public CopyPlan AsFullCopy() =>
        this with { Flags = Flags & ~CloneFlags.Snapshot, BackingStoreType = "dir", Kind = CopyKind.FullCopy, MayFallBackToFullCopy = false };
}
