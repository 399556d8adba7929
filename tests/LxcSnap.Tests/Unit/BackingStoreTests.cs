using LxcSnap.Core.Containers;

namespace LxcSnap.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class BackingStoreParseTests
{
    [Theory]
    [InlineData("dir:/var/lib/lxc/web/rootfs", BackingStoreKind.Dir)]
    [InlineData("/var/lib/lxc/web/rootfs", BackingStoreKind.Dir)]
    [InlineData("btrfs:/var/lib/lxc/web/rootfs", BackingStoreKind.Btrfs)]
    [InlineData("zfs:tank/lxc/web", BackingStoreKind.Zfs)]
    [InlineData("lvm:/dev/vg/web", BackingStoreKind.Lvm)]
    [InlineData("/dev/vg/web", BackingStoreKind.Lvm)]
    [InlineData("loop:/var/lib/lxc/web/rootdev", BackingStoreKind.Loop)]
    [InlineData("rbd:pool/web", BackingStoreKind.Other)]
    public void Lxc_rootfs_notations_map_to_their_backing_store(string rootfs, BackingStoreKind kind) =>
        Assert.Equal(kind, BackingStore.Parse(rootfs, isOnBtrfs: _ => false).Kind);

    [Theory]
    [InlineData("overlay:/lxc/base/rootfs:/lxc/app/overlay/delta")]
    [InlineData("overlayfs:/lxc/base/rootfs:/lxc/app/overlay/delta")]
    public void Overlay_paths_split_into_lower_and_delta(string rootfs)
    {
        var store = BackingStore.Parse(rootfs);

        Assert.Equal(BackingStoreKind.Overlay, store.Kind);
        Assert.Equal("/lxc/base/rootfs", store.OverlayLower);
        Assert.Equal("/lxc/app/overlay/delta", store.OverlayDelta);
    }

    [Fact]
    public void A_plain_path_on_btrfs_is_a_btrfs_subvolume_as_LXC_sees_it() =>
        Assert.Equal(BackingStoreKind.Btrfs, BackingStore.Parse("/srv/lxc/web/rootfs", isOnBtrfs: _ => true).Kind);
}
