using System.Security.Cryptography;
using LxcSnap.Core.Containers;

namespace LxcSnap.Core.Copying;

/// <summary>
/// Copies a dir or overlay container without liblxc's clone, whose copy of a dir rootfs or of an
/// overlay delta is an <c>rsync -aHXS</c> (single-threaded, no reflinks, ~45 ms of exit sleep per
/// run, and a host without rsync cannot copy at all).
///
/// It does what liblxc's clone does for these two, and only that. The container's directory is
/// copied (config, fstab, hook scripts: whatever lies there) except its root filesystem, LXC's own
/// snapshots (<c>snaps</c>), its dependency records and logs; the config's paths are moved from the
/// source's directory to the target's. Then the layer that is the container's own is copied by
/// <see cref="TreeCopy"/>: a dir rootfs to <c>TARGET/rootfs</c> (<c>lxc.rootfs.path = dir:...</c>);
/// an overlay delta to <c>TARGET/overlay/delta</c> beside an empty <c>overlay/work</c> and an empty
/// <c>rootfs</c> mount point, the lower layer shared (<c>overlay:LOWER:TARGET/overlay/delta</c>)
/// and recorded as LXC records it (<see cref="Dependencies.RecordSharing"/>). Whiteouts (character
/// devices 0/0) and opaque directories (their <c>trusted.</c> or <c>user.overlay.opaque</c>
/// attribute) are entries and attributes like any other to the tree copy, so what was deleted from
/// the lower layer stays deleted.
///
/// A copy under a new identity also gets, as with liblxc, the new <c>lxc.uts.name</c>, new random
/// MAC addresses (00:16:3e:xx:xx:xx) and the new name in the rootfs's /etc/hostname when it has
/// one (for overlay, written into the delta as overlayfs would, <see cref="OverlayUpperLayer"/>).
/// Containers with clone hooks (<c>lxc.hook.clone</c>) are left to liblxc, which runs them.
/// </summary>
internal static class ContainerCopy
{
    private const string RootfsName = "rootfs";

    /// <summary>liblxc's directory for an overlay container's own layers (LXC_OVERLAY_PRIVATE_DIR).</summary>
    private const string OverlayName = "overlay";

    /// <summary>Entries of a container directory that a copy never takes along.</summary>
    private static readonly HashSet<string> NotCopied = ["snaps", "lxc_snapshots", "lxc_rdepends", "partial"];

    /// <summary>True when this copy can stand in for liblxc's clone of <paramref name="source"/>.</summary>
    public static bool Handles(ContainerRef source, BackingStore store) =>
        ContainerConfig.ReadItem(source, "lxc.hook.clone") is null
        && store.Kind switch
        {
            BackingStoreKind.Dir => Directory.Exists(RootfsOf(store)),
            // A lower layer with ':' in it is a stack of layers: liblxc's to copy.
            BackingStoreKind.Overlay => store.OverlayDelta is { } delta && Directory.Exists(delta)
                                        && store.OverlayLower is { } lower && Directory.Exists(lower),
            _ => false,
        };

    /// <summary>Copies <paramref name="source"/> to <paramref name="target"/> (whose directory must not exist).</summary>
    /// <param name="keepName">Keep lxc.uts.name (a snapshot, or a restore under the original name).</param>
    /// <param name="keepMacAddresses">Keep the MAC addresses, as liblxc's KEEPMACADDR.</param>
    /// <returns>How the layer's file contents were copied.</returns>
    /// <param name="progress">Told how far the copy of the layer, the long part, is.</param>
    public static ContentCopyMethod Copy(ContainerRef source, BackingStore store, ContainerRef target, bool keepName, bool keepMacAddresses,
        Action<CopyProgress>? progress = null, CancellationToken cancellation = default)
    {
        var overlay = store.Kind == BackingStoreKind.Overlay;
        var layer = Path.GetFullPath(overlay ? store.OverlayDelta! : RootfsOf(store)).TrimEnd('/');
        var skip = new HashSet<string>(NotCopied) { RootfsName };
        if (overlay)
            skip.Add(OverlayName);
        skip.UnionWith(Directory.EnumerateFiles(source.Directory, "*.log").Select(Path.GetFileName)!);
        if (TopLevelEntryHolding(source.Directory, layer) is { } holding)
            skip.Add(holding); // the target's layer comes from the source's, wherever that lies

        // The container's own files are few and small, the layer is the copy: two tree copies.
        // The config names the copy's own paths before the long part starts, so that a copy
        // interrupted there is discarded without anything pointing at the source.
        TreeCopy.Copy(source.Directory, target.Directory, skip, parallelism: 1, cancellation: cancellation);
        ContainerConfig.RelocatePaths(target, source.Directory, target.Directory);
        string targetLayer;
        if (overlay)
        {
            var privateDirectory = Path.Combine(target.Directory, OverlayName);
            targetLayer = Path.Combine(privateDirectory, "delta");
            foreach (var directory in new[] { Path.Combine(target.Directory, RootfsName), privateDirectory, Path.Combine(privateDirectory, "work") })
                Directory.CreateDirectory(directory, DirectoryMode);
            ContainerConfig.SetItem(target, "lxc.rootfs.path", $"overlay:{store.OverlayLower}:{targetLayer}");
            // Recorded before the delta is copied, so that LXC refuses to destroy the lower
            // layer's container from now on; and checked after, since it may have been
            // destroyed just before.
            Dependencies.RecordSharing(target, SharedBy(source, store));
            if (!Directory.Exists(store.OverlayLower))
            {
                throw new LxcSnapException(LxcSnapError.ContainerNotFound,
                    $"the lower layer of {source}'s root filesystem, {store.OverlayLower}, was removed: nothing left to share.");
            }
        }
        else
        {
            targetLayer = Path.Combine(target.Directory, RootfsName);
            ContainerConfig.SetItem(target, "lxc.rootfs.path", "dir:" + targetLayer);
        }
        if (!keepName)
            ContainerConfig.SetItem(target, "lxc.uts.name", target.Name);
        if (!keepMacAddresses)
            ContainerConfig.ReplaceValues(target, key => IsMacAddressKey(key) ? NewMacAddress() : null);

        var method = TreeCopy.Copy(layer, targetLayer, progress: progress, cancellation: cancellation);
        if (!keepName)
            WriteHostname(overlay ? store.OverlayLower : null, targetLayer, target.Name);
        return method;
    }

    /// <summary>
    /// What an overlay copy shares storage with: what its source does (liblxc copies the
    /// source's lxc_rdepends), and the source itself when the lower layer lies in the source's
    /// own directory (<c>lxc-create -B overlay</c> makes such a container). An overlay source is
    /// otherwise not shared, whatever liblxc records: its delta is copied.
    /// </summary>
    private static List<ContainerRef> SharedBy(ContainerRef source, BackingStore store)
    {
        var shared = Dependencies.DependsOn(source).ToList();
        if (store.SharesLayerWithin(source.Directory))
            shared.Add(source);
        return shared;
    }

    /// <summary>
    /// liblxc writes the new name into the copy's /etc/hostname when there is one, without a
    /// newline; a symlink there would be followed on the host, so it is left alone.
    /// </summary>
    private static void WriteHostname(string? lowerLayer, string rootfs, string name)
    {
        const string path = "etc/hostname";
        if (lowerLayer is not null)
        {
            OverlayUpperLayer.ReplaceContent(lowerLayer, rootfs, path, name);
            return;
        }
        var hostname = Path.Combine(rootfs, path);
        if (File.Exists(hostname) && !new FileInfo(hostname).Attributes.HasFlag(FileAttributes.ReparsePoint))
            File.WriteAllText(hostname, name);
    }

    /// <summary>The name, directly inside <paramref name="directory"/>, of the entry that is or holds <paramref name="path"/>; null when it lies elsewhere.</summary>
    private static string? TopLevelEntryHolding(string directory, string path)
    {
        var parent = Path.GetFullPath(directory).TrimEnd('/') + "/";
        return path.StartsWith(parent, StringComparison.Ordinal) ? path[parent.Length..].Split('/')[0] : null;
    }

    /// <summary>What liblxc makes a container's rootfs mount point and overlay directories with.</summary>
    private const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static string RootfsOf(BackingStore store) => store.DirectoryPath ?? store.RootfsPath;

    private static bool IsMacAddressKey(string key) =>
        key.StartsWith("lxc.net.", StringComparison.Ordinal) && key.EndsWith(".hwaddr", StringComparison.Ordinal);

    /// <summary>A random address in the Xen OUI range liblxc uses for containers.</summary>
    private static string NewMacAddress()
    {
        var bytes = RandomNumberGenerator.GetBytes(3);
        return $"00:16:3e:{bytes[0]:x2}:{bytes[1]:x2}:{bytes[2]:x2}";
    }
}
