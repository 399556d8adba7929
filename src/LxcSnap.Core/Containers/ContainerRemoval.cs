using System.Text.RegularExpressions;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core.Containers;

/// <summary>
/// Removes containers lxc-snap made, and decides whether a container is one lxc-snap may remove.
/// A container is removed by removing its own directory (<see cref="TreeRemoval"/>: never a
/// symlink followed, never another file system entered), never by following its config: a
/// config can point anywhere.
/// </summary>
internal static partial class ContainerRemoval
{
    /// <summary>
    /// Removes <paramref name="container"/>, a copy lxc-snap made (a staged copy, a replaced
    /// container, a snapshot taken out of sight), whose config may still name the directory it
    /// was moved from, <paramref name="configuredAt"/>. For directory and overlay storage
    /// everything it owns lies inside its directory, so removing that directory is complete, and
    /// needs no free space. Subvolumes (btrfs) and storage outside any directory (zfs, lvm) are
    /// handed to liblxc's destroy, which follows the config: so that is first made to name where
    /// the container is now, and checked to name this container's own storage.
    /// </summary>
    public static void Discard(ContainerRef container, string configuredAt)
    {
        if (StorageOf(container) is { Kind: BackingStoreKind.Btrfs or BackingStoreKind.Zfs or BackingStoreKind.Lvm })
        {
            ContainerConfig.RelocatePaths(container, configuredAt, container.Directory);
            if (StorageOf(container) is { } storage && ForeignStorage(container, storage) is null)
            {
                using var lxc = LxcContainer.Open(container);
                if (lxc.IsDefined)
                    lxc.Destroy();
            }
        }
        TreeRemoval.Remove(container.Directory);
    }

    /// <summary>
    /// Why lxc-snap must not destroy <paramref name="container"/>, or null when it may: its storage
    /// lies outside its own directory (so removing it would remove someone else's data), or
    /// another tool keeps data inside its directory (LXC's own snapshots).
    /// </summary>
    public static string? ForeignContent(ContainerRef container)
    {
        if (PathAccess.Kind(container.Directory) == FileKind.Symlink)
            return $"{container.Directory} is a symlink: lxc-snap removes only directories of its own";
        if (StorageOf(container) is { } storage && ForeignStorage(container, storage) is { } foreign)
            return foreign;
        var others = OtherToolsSnapshots(container);
        return others.Count == 0
            ? null
            : $"{container.Directory} also holds snapshots made by lxc-snapshot ({string.Join(", ", others)}): lxc-snap does not delete another tool's data. Remove them with lxc-snapshot, or move them away, first";
    }

    private static BackingStore? StorageOf(ContainerRef container)
    {
        var rootfs = container.ConfigExists ? ContainerConfig.ReadItem(container, "lxc.rootfs.path") : null;
        return string.IsNullOrEmpty(rootfs) ? null : BackingStore.Parse(rootfs, _ => false);
    }

    private static string? ForeignStorage(ContainerRef container, BackingStore storage)
    {
        switch (storage.Kind)
        {
            case BackingStoreKind.Dir or BackingStoreKind.Btrfs or BackingStoreKind.Loop:
                return Outside(container, WithoutPrefix(storage.RootfsPath));
            case BackingStoreKind.Overlay:
                return storage.OverlayDelta is null
                    ? $"{container}'s overlay root filesystem '{storage.RootfsPath}' names no upper layer"
                    : Outside(container, storage.OverlayDelta);
            case BackingStoreKind.Lvm or BackingStoreKind.Zfs:
                // Not a directory: liblxc names the volume after the container, so a volume named
                // otherwise is someone else's.
                return WithoutPrefix(storage.RootfsPath).TrimEnd('/').EndsWith("/" + container.Name, StringComparison.Ordinal)
                    ? null
                    : $"{container}'s root filesystem is the volume '{storage.RootfsPath}', which is not named after it";
            default:
                return $"{container}'s root filesystem '{storage.RootfsPath}' is of a kind lxc-snap does not make";
        }
    }

    /// <summary>Why <paramref name="path"/> is not inside the container's own directory (or reached through a symlink), or null.</summary>
    private static string? Outside(ContainerRef container, string path)
    {
        var own = Path.GetFullPath(container.Directory).TrimEnd('/');
        var full = Path.GetFullPath(path).TrimEnd('/');
        if (!full.StartsWith(own + "/", StringComparison.Ordinal))
            return $"{container} keeps its root filesystem at {full}, outside its own directory {own}: lxc-snap removes only what lies inside it. Check lxc.rootfs.path in {container.ConfigFile}";
        var walked = own;
        foreach (var part in full[(own.Length + 1)..].Split('/'))
        {
            walked += "/" + part;
            if (PathAccess.Kind(walked) == FileKind.Symlink)
                return $"{walked} is a symlink: {container}'s root filesystem may lie outside its own directory {own}, and lxc-snap removes only what lies inside it";
        }
        return null;
    }

    /// <summary>lxc-snapshot's snapshots of a container named like this one: <c>snaps/snapN</c>, or <c>snapN</c> (its layout when LXCPATH+"snaps" exists).</summary>
    private static List<string> OtherToolsSnapshots(ContainerRef container)
    {
        var found = new List<string>();
        var nativeLayout = Path.Combine(container.Directory, "snaps");
        foreach (var directory in new[] { container.Directory, nativeLayout })
        {
            if (PathAccess.Kind(directory) != FileKind.Directory)
                continue;
            found.AddRange(Directory.EnumerateDirectories(directory)
                .Select(Path.GetFileName)
                .Where(name => LxcSnapshotName().IsMatch(name!))
                .Select(name => directory == nativeLayout ? "snaps/" + name : name!));
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static string WithoutPrefix(string rootfsPath)
    {
        var colon = rootfsPath.IndexOf(':');
        return colon > 0 && !rootfsPath.StartsWith('/') ? rootfsPath[(colon + 1)..] : rootfsPath;
    }

    [GeneratedRegex("^snap[0-9]+$")]
    private static partial Regex LxcSnapshotName();
}
