using System.Security.Cryptography;
using LxcSnap.Core.Containers;

namespace LxcSnap.Core.Copying;

/// <summary>
/// Copies a dir-backed container without liblxc's clone, whose copy of a dir rootfs is an
/// <c>rsync -aHXS</c> (single-threaded, no reflinks, and ~45 ms of exit sleep per run).
///
/// It does what liblxc's clone does for a dir container, and only that: the container's directory
/// is copied (config, fstab, hook scripts: whatever lies there) except the rootfs, LXC's own
/// snapshots (<c>snaps</c>), its dependency records and logs; the rootfs is copied to
/// <c>TARGET/rootfs</c> by <see cref="TreeCopy"/>; the config's paths are moved from the source's
/// directory to the target's and <c>lxc.rootfs.path</c> set to <c>dir:TARGET/rootfs</c>. A copy under
/// a new identity also gets, as with liblxc, the new <c>lxc.uts.name</c>, new random MAC addresses
/// (00:16:3e:xx:xx:xx) and the new name in the rootfs's /etc/hostname when it has one.
/// Containers with clone hooks (<c>lxc.hook.clone</c>) are left to liblxc, which runs them.
/// </summary>
internal static class DirContainerCopy
{
    private const string RootfsName = "rootfs";

    /// <summary>Entries of a container directory that a copy never takes along.</summary>
    private static readonly HashSet<string> NotCopied = ["snaps", "lxc_snapshots", "lxc_rdepends", "partial"];

    /// <summary>True when this copy can stand in for liblxc's clone of <paramref name="source"/>.</summary>
    public static bool Handles(ContainerRef source, BackingStore store) =>
        store.Kind == BackingStoreKind.Dir
        && Directory.Exists(RootfsOf(store))
        && ContainerConfig.ReadItem(source, "lxc.hook.clone") is null;

    /// <summary>Copies <paramref name="source"/> to <paramref name="target"/> (whose directory must not exist).</summary>
    /// <param name="keepName">Keep lxc.uts.name (a snapshot, or a restore under the original name).</param>
    /// <param name="keepMacAddresses">Keep the MAC addresses, as liblxc's KEEPMACADDR.</param>
    public static ContentCopyMethod Copy(ContainerRef source, BackingStore store, ContainerRef target, bool keepName, bool keepMacAddresses,
        CancellationToken cancellation = default)
    {
        var rootfs = Path.GetFullPath(RootfsOf(store)).TrimEnd('/');
        var rootfsInside = Path.GetDirectoryName(rootfs) == Path.GetFullPath(source.Directory).TrimEnd('/');
        var skip = new HashSet<string>(NotCopied);
        skip.UnionWith(Directory.EnumerateFiles(source.Directory, "*.log").Select(Path.GetFileName)!);
        if (rootfsInside)
            skip.Add(Path.GetFileName(rootfs));
        skip.Add(RootfsName); // the target's rootfs comes from the source's, wherever that lies

        // The container's own files are few and small, the rootfs is the copy: two tree copies.
        // The config names the copy's own paths before the long part starts, so that a copy
        // interrupted there is discarded without anything pointing at the source.
        TreeCopy.Copy(source.Directory, target.Directory, skip, parallelism: 1, cancellation);
        var targetRootfs = Path.Combine(target.Directory, RootfsName);
        ContainerConfig.RelocatePaths(target, source.Directory, target.Directory);
        ContainerConfig.SetItem(target, "lxc.rootfs.path", "dir:" + targetRootfs);
        if (!keepName)
            ContainerConfig.SetItem(target, "lxc.uts.name", target.Name);
        if (!keepMacAddresses)
            ContainerConfig.ReplaceValues(target, key => IsMacAddressKey(key) ? NewMacAddress() : null);

        var method = TreeCopy.Copy(rootfs, targetRootfs, cancellation: cancellation);
        if (!keepName)
        {
            var hostname = Path.Combine(targetRootfs, "etc", "hostname");
            if (File.Exists(hostname) && !new FileInfo(hostname).Attributes.HasFlag(FileAttributes.ReparsePoint))
                File.WriteAllText(hostname, target.Name); // liblxc writes it without a newline
        }
        return method;
    }

    private static string RootfsOf(BackingStore store) =>
        store.RootfsPath.StartsWith("dir:", StringComparison.Ordinal) ? store.RootfsPath["dir:".Length..] : store.RootfsPath;

    private static bool IsMacAddressKey(string key) =>
        key.StartsWith("lxc.net.", StringComparison.Ordinal) && key.EndsWith(".hwaddr", StringComparison.Ordinal);

    /// <summary>A random address in the Xen OUI range liblxc uses for containers.</summary>
    private static string NewMacAddress()
    {
        var bytes = RandomNumberGenerator.GetBytes(3);
        return $"00:16:3e:{bytes[0]:x2}:{bytes[1]:x2}:{bytes[2]:x2}";
    }
}
