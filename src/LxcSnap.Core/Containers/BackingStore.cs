namespace LxcSnap.Core.Containers;

/// <summary>How a container's root filesystem is stored, read from <c>lxc.rootfs.path</c>.</summary>
public enum BackingStoreKind
{
    Dir,
    Overlay,
    Btrfs,
    Zfs,
    Lvm,
    Loop,
    Other,
}

/// <summary>A parsed <c>lxc.rootfs.path</c>.</summary>
public sealed record BackingStore(BackingStoreKind Kind, string RootfsPath)
{
    /// <summary>For overlay: the shared lower layer (null otherwise).</summary>
    public string? OverlayLower { get; init; }

    /// <summary>For overlay: the container's own upper layer, the delta (null otherwise).</summary>
    public string? OverlayDelta { get; init; }

    public string Describe() => Kind.ToString().ToLowerInvariant();

    /// <summary>For dir and btrfs: the directory that is the root filesystem, without liblxc's prefix (null otherwise).</summary>
    public string? DirectoryPath => Kind is BackingStoreKind.Dir or BackingStoreKind.Btrfs
        ? RootfsPath[(RootfsPath.StartsWith('/') ? 0 : RootfsPath.IndexOf(':') + 1)..]
        : null;

    /// <summary>
    /// For overlay: whether the lower layer lies inside <paramref name="directory"/>, as
    /// <c>lxc-create -B overlay</c> keeps it in the container's own directory. Then every overlay
    /// copy of the container shares that directory's storage.
    /// </summary>
    public bool SharesLayerWithin(string directory) =>
        Kind == BackingStoreKind.Overlay && OverlayLower is { } lower && PathRules.IsWithin(lower, directory);

    /// <summary>
    /// Parses liblxc's notation: <c>overlay:LOWER:DELTA</c> (also <c>overlayfs:</c>), <c>dir:PATH</c>,
    /// <c>btrfs:PATH</c>, <c>zfs:</c>, <c>lvm:</c> or <c>/dev/...</c>, <c>loop:</c>, or a plain path.
    /// A plain path is a directory unless it lies on btrfs, where liblxc treats it as a subvolume.
    /// </summary>
    public static BackingStore Parse(string rootfsPath, Func<string, bool>? isOnBtrfs = null)
    {
        var colon = rootfsPath.IndexOf(':');
        var prefix = colon > 0 && !rootfsPath.StartsWith('/') ? rootfsPath[..colon] : "";
        var rest = prefix.Length > 0 ? rootfsPath[(colon + 1)..] : rootfsPath;
        switch (prefix)
        {
            case "overlay" or "overlayfs":
                var split = rest.LastIndexOf(':');
                return new BackingStore(BackingStoreKind.Overlay, rootfsPath)
                {
                    OverlayLower = split > 0 ? rest[..split] : rest,
                    OverlayDelta = split > 0 ? rest[(split + 1)..] : null,
                };
            case "dir":
                return new BackingStore(BackingStoreKind.Dir, rootfsPath);
            case "btrfs":
                return new BackingStore(BackingStoreKind.Btrfs, rootfsPath);
            case "zfs":
                return new BackingStore(BackingStoreKind.Zfs, rootfsPath);
            case "lvm":
                return new BackingStore(BackingStoreKind.Lvm, rootfsPath);
            case "loop":
                return new BackingStore(BackingStoreKind.Loop, rootfsPath);
            case "":
                if (rest.StartsWith("/dev/", StringComparison.Ordinal))
                    return new BackingStore(BackingStoreKind.Lvm, rootfsPath);
                var onBtrfs = (isOnBtrfs ?? FileSystemProbe.IsBtrfs)(rest);
                return new BackingStore(onBtrfs ? BackingStoreKind.Btrfs : BackingStoreKind.Dir, rootfsPath);
            default:
                return new BackingStore(BackingStoreKind.Other, rootfsPath);
        }
    }
}
