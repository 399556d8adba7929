using LxcSnap.Core.Containers;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core.Snapshots;

/// <summary>How a container is copied, chosen from its backing store: by lxc-snap itself, or by liblxc's clone with these flags.</summary>
/// <param name="Copied">What is copied, for people: "full copy", "overlay snapshot: delta copied", "native btrfs snapshot".</param>
/// <param name="Shared">What is shared instead of copied, if anything: "lower layer shared".</param>
/// <param name="OwnCopy">Copy the container with <see cref="Copying.ContainerCopy"/> instead of liblxc's rsync.</param>
internal sealed record CopyPlan(CloneFlags Flags, string? BackingStoreType, string Copied, string? Shared = null,
    bool MayFallBackToFullCopy = false, bool OwnCopy = false)
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
            BackingStoreKind.Overlay => new(flags | CloneFlags.Snapshot, null, "overlay snapshot: delta copied", "lower layer shared", OwnCopy: true),
            BackingStoreKind.Btrfs or BackingStoreKind.Zfs or BackingStoreKind.Lvm =>
                new(flags | CloneFlags.Snapshot, null, $"native {source.Describe()} snapshot", MayFallBackToFullCopy: true),
            BackingStoreKind.Dir => new(flags, "dir", "full copy", OwnCopy: true),
            _ => new(flags, "dir", "full copy"),
        };
        return plan with { Source = source };
    }

    /// <summary>The source's backing store, the plan was chosen from.</summary>
    public BackingStore? Source { get; init; }

    /// <summary>
    /// The copied rootfs is on disk when the copy returns, so publishing need flush only the
    /// files around it: a btrfs snapshot is made inside a transaction commit (the kernel writes
    /// out the source's pending data first). Flushing the whole file system instead was a
    /// third of a btrfs snapshot's time. Not claimed for zfs and lvm, which cannot be tried here.
    /// </summary>
    public bool RootfsDurableWhenCopied =>
        Source?.Kind == BackingStoreKind.Btrfs && Flags.HasFlag(CloneFlags.Snapshot);

    /// <summary>For people: "full copy (reflink)", "overlay snapshot: delta copied (copy_file_range), lower layer shared".</summary>
    public string Description => Shared is null ? Copied : $"{Copied}, {Shared}";

    /// <summary>The plan with how the data was copied: "reflink", "copy_file_range", "liblxc rsync".</summary>
    public CopyPlan CopiedBy(string how) => this with { Copied = $"{Copied} ({how})" };

    /// <summary>The plain directory copy to fall back on when a native snapshot is not possible there.</summary>
    public CopyPlan AsFullCopy() =>
        this with { Flags = Flags & ~CloneFlags.Snapshot, BackingStoreType = "dir", Copied = "full copy", Shared = null, MayFallBackToFullCopy = false };
}
