using LxcSnap.Core.Interop;

namespace LxcSnap.Core.Containers;

/// <summary>Removes a container that is ours to remove: a staged copy or a replaced container.</summary>
internal static class ContainerRemoval
{
    /// <summary>
    /// For directory, overlay and btrfs storage everything the container owns lies inside its own
    /// directory, so deleting that directory is complete and cannot touch anything else. Other
    /// storage (zfs, lvm, ...) lives outside and is handed to liblxc's destroy, whose config has
    /// been checked to point at this container's own directory.
    /// </summary>
    public static void Discard(ContainerRef container)
    {
        var rootfs = container.ConfigExists ? ContainerConfig.ReadItem(container, "lxc.rootfs.path") : null;
        var store = rootfs is null ? null : BackingStore.Parse(rootfs);
        if (store is null || store.Kind is BackingStoreKind.Dir or BackingStoreKind.Overlay or BackingStoreKind.Btrfs)
        {
            if (Directory.Exists(container.Directory))
                Directory.Delete(container.Directory, recursive: true);
            return;
        }
        using var lxc = LxcContainer.Open(container);
        if (lxc.IsDefined)
            lxc.Destroy();
    }
}
