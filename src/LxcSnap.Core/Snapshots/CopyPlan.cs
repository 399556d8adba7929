using LxcSnap.Core.Containers;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core.Snapshots;

/// <summary>How liblxc's clone is asked to copy a container, chosen from its backing store.</summary>
/// <param name="OwnDirCopy">Copy a dir container with <see cref="Copying.DirContainerCopy"/> instead of liblxc's rsync.</param>
internal sealed record CopyPlan(CloneFlags Flags, string? BackingStoreType, string Description, bool MayFallBackToFullCopy = false, bool OwnDirCopy = false)
{
    /// <summary>
    /// overlay: a snapshot clone copies only the delta and shares the lower layer, O(delta).
    /// btrfs, zfs, lvm: the store's native snapshot. dir: a full copy by lxc-snap's own tree copy
    /// (reflinks where the file system has them). Anything else: liblxc's full copy into a
    /// directory. Never an overlay snapshot of a dir container, whose lower layer would be the
    /// live rootfs of the source and would change with it.
    /// </summary>
    /// <param name="keepIdentity">Keep hostname and MAC address: for snapshots, and for restoring a container under its own name.</param>
    public static CopyPlan For(BackingStore source, bool keepIdentity, bool allowRunning)
    {
        var flags = (keepIdentity ? CloneFlags.KeepName | CloneFlags.KeepMacAddress : CloneFlags.None)
                    | (allowRunning ? CloneFlags.AllowRunning : CloneFlags.None);
        CopyPlan plan = source.Kind switch
        {
            BackingStoreKind.Overlay => new(flags | CloneFlags.Snapshot, null, "overlay snapshot: delta copied, lower layer shared"),
            BackingStoreKind.Btrfs or BackingStoreKind.Zfs or BackingStoreKind.Lvm =>
                new(flags | CloneFlags.Snapshot, null, $"native {source.Describe()} snapshot", MayFallBackToFullCopy: true),
            BackingStoreKind.Dir => new(flags, "dir", "full copy", OwnDirCopy: true),
            _ => new(flags, "dir", "full copy"),
        };
        return plan with { Source = source };
    }

    /// <summary>The source's backing store, the plan was chosen from.</summary>
    public BackingStore? Source { get; init; }

    /// <summary>The plain directory copy to fall back on when a native snapshot is not possible there.</summary>
    public CopyPlan AsFullCopy() =>
        this with { Flags = Flags & ~CloneFlags.Snapshot, BackingStoreType = "dir", Description = "full copy", MayFallBackToFullCopy = false };
}
