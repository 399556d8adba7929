using LxcSnap.Core.Interop;

namespace LxcSnap.Core.Comparison;

/// <summary>Where a directory of the merged view lies in one layer.</summary>
/// <param name="Layer">The layer's index, 0 for the top (an overlay's delta, or a plain directory).</param>
internal readonly record struct LayerPath(int Layer, string Path);

/// <summary>A directory of the merged view: where it lies in each layer that shows through, top first.</summary>
internal sealed record TreeDirectory(IReadOnlyList<LayerPath> Sources);

/// <summary>
/// One name of a directory of the merged view, from the highest layer that has it. Its lstat is
/// read when first asked for: a comparison of two overlays over the same lower layer never needs
/// it for what both take from that layer.
/// </summary>
internal sealed class TreeEntry(string name, int layer, string path, byte directoryType)
{
    private FileStatus? _status;
    private bool _statRead;

    public string Name { get; } = name;

    /// <summary>The layer it comes from (see <see cref="LayerPath.Layer"/>).</summary>
    public int Layer { get; } = layer;

    /// <summary>Its path in that layer, on the host.</summary>
    public string Path { get; } = path;

    /// <summary>lstat of <see cref="Path"/>; null when it went away since the directory was read (a running container).</summary>
    public FileStatus? Status
    {
        get
        {
            if (!_statRead)
            {
                _status = PosixFiles.TryStat(Path, out var errno);
                if (_status is null && errno is not (Errno.ENOENT or Errno.ENOTDIR))
                    throw new FileSystemCallException("stat", Path, errno);
                _statRead = true;
            }
            return _status;
        }
    }

    /// <summary>Whether it may be a character device, by readdir's type (unknown on some file systems): only those can be whiteouts.</summary>
    public bool MayBeDevice => directoryType is CharacterDeviceType or DirectoryNative.TypeUnknown;

    private const byte CharacterDeviceType = 2; // DT_CHR
}

/// <summary>
/// A container's root filesystem as it would be seen mounted, read from where it is stored and
/// never mounted: a plain directory (dir, a btrfs subvolume), or the layers of an overlay, top
/// (the delta) first, merged as overlayfs merges them (<see cref="OverlayMarks"/>): a name is
/// taken from the highest layer that has it, a whiteout hides it, a directory is merged with the
/// same directory below unless it is opaque, and a redirect says where below that is. Nothing is
/// followed: entries are lstat'ed and symlink targets read as text.
/// </summary>
internal sealed class LayeredTree
{
    private readonly string[] _layers;
    private readonly bool _overlay;

    private LayeredTree(string[] layers, bool overlay)
    {
        _layers = layers.Select(layer => System.IO.Path.GetFullPath(layer).TrimEnd('/')).ToArray();
        _overlay = overlay;
    }

    public static LayeredTree OfDirectory(string path) => new([path], overlay: false);

    /// <param name="lowers">The lower layers, highest first, as <c>lowerdir=</c> lists them.</param>
    public static LayeredTree OfOverlay(string delta, IEnumerable<string> lowers) => new([delta, .. lowers], overlay: true);

    /// <summary>The root directory, merged from every layer's root (overlayfs merges the root whatever its attributes).</summary>
    public TreeDirectory Root => new(_layers.Select((path, layer) => new LayerPath(layer, path)).ToList());

    /// <summary>
    /// True when both are overlays over the same lower layers: a name both take from a lower layer,
    /// at the same path there, is the same entry in both, with all that lies below it.
    /// </summary>
    public bool SharesLowerLayersWith(LayeredTree other) =>
        _overlay && other._overlay && _layers.AsSpan(1).SequenceEqual(other._layers.AsSpan(1));

    /// <summary>The names of <paramref name="directory"/> in the merged view, sorted ordinally.</summary>
    public List<TreeEntry> List(TreeDirectory directory)
    {
        var seen = new Dictionary<string, TreeEntry?>(StringComparer.Ordinal); // null: whited out
        foreach (var source in directory.Sources)
        {
            using var handle = PosixDirectories.OpenDirectory(null, source.Path, source.Path);
            if (handle is null)
                continue; // removed meanwhile (a running container)
            foreach (var (name, type) in PosixDirectories.ReadEntries(handle, source.Path))
            {
                if (seen.ContainsKey(name))
                    continue; // a higher layer has it
                var entry = new TreeEntry(name, source.Layer, System.IO.Path.Combine(source.Path, name), type);
                seen[name] = _overlay && entry.MayBeDevice && entry.Status is { } status && OverlayMarks.IsWhiteout(status) ? null : entry;
            }
        }
        var entries = seen.Values.OfType<TreeEntry>().ToList();
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    /// <summary>The directory <paramref name="entry"/> of <paramref name="parent"/>, with the layers below it that show through.</summary>
    public TreeDirectory Enter(TreeDirectory parent, TreeEntry entry)
    {
        var sources = new List<LayerPath> { new(entry.Layer, entry.Path) };
        if (!_overlay || OverlayMarks.IsOpaque(entry.Path))
            return new TreeDirectory(sources);
        var redirect = OverlayMarks.Attribute(entry.Path, "redirect");
        foreach (var below in parent.Sources.Where(source => source.Layer > entry.Layer))
        {
            var candidate = redirect is null ? System.IO.Path.Combine(below.Path, entry.Name)
                : redirect.StartsWith('/') ? _layers[below.Layer] + redirect
                : System.IO.Path.Combine(below.Path, redirect);
            var status = PosixFiles.TryStat(candidate, out _);
            if (status is null)
                continue;
            if (status.Kind != FileKind.Directory)
                break; // a file or a whiteout there hides the layers below it
            sources.Add(new LayerPath(below.Layer, candidate));
            if (OverlayMarks.IsOpaque(candidate))
                break;
        }
        return new TreeDirectory(sources);
    }

    /// <summary>The entry's extended attributes as the merged view shows them: for an overlay, without overlayfs's own.</summary>
    public Dictionary<string, byte[]> Attributes(TreeEntry entry) =>
        PosixFiles.ReadExtendedAttributes(entry.Path)
            .Where(attribute => !_overlay || !OverlayMarks.IsOverlayAttribute(attribute.Name))
            .ToDictionary(attribute => attribute.Name, attribute => attribute.Value, StringComparer.Ordinal);
}
