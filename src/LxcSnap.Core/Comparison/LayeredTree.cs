using LxcSnap.Core.Interop;

namespace LxcSnap.Core.Comparison;

/// <summary>Where a directory of the merged view lies in one layer.</summary>
/// <param name="Layer">The layer's index, 0 for the top (an overlay's delta, or a plain directory).</param>
/// <param name="Identity">The directory's (device, inode) when it was lstat'ed; null for a layer's root.</param>
internal readonly record struct LayerPath(int Layer, string Path, (ulong Device, ulong Inode)? Identity = null);

/// <summary>A directory of the merged view: where it lies in each layer that shows through, top first.</summary>
internal sealed record TreeDirectory(IReadOnlyList<LayerPath> Sources);

/// <summary>One name of a directory of the merged view, from the highest layer that has it, with its lstat.</summary>
/// <param name="Layer">The layer it comes from (see <see cref="LayerPath.Layer"/>).</param>
/// <param name="Path">Its path in that layer, on the host.</param>
internal sealed record TreeEntry(string Name, int Layer, string Path, FileStatus Status);

/// <summary>
/// A container's root filesystem as it would be seen mounted, read from where it is stored and
/// never mounted: a plain directory (dir, a btrfs subvolume), or the layers of an overlay, top
/// (the delta) first, merged as overlayfs merges them (<see cref="OverlayMarks"/>): a name is
/// taken from the highest layer that has it, a whiteout hides it, a directory is merged with the
/// same directory below unless it is opaque, and a redirect says where below that is. Nothing is
/// followed: entries are lstat'ed and symlink targets read as text. A running container may swap
/// a directory for a symlink while it is read: each directory is opened without following a
/// symlink, its entries are lstat'ed through that descriptor, and one that is no longer the
/// directory that was lstat'ed is read as gone, so that nothing outside the tree is ever listed.
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
            using var handle = OpenUnchanged(source);
            if (handle is null)
                continue;
            foreach (var (name, _) in PosixDirectories.ReadEntries(handle, source.Path))
            {
                if (seen.ContainsKey(name))
                    continue; // a higher layer has it
                var path = System.IO.Path.Combine(source.Path, name);
                if (PosixDirectories.StatEntry(handle, name, path) is not { } status)
                    continue; // removed since it was listed
                seen[name] = _overlay && OverlayMarks.IsWhiteout(status) ? null : new TreeEntry(name, source.Layer, path, status);
            }
        }
        var entries = seen.Values.OfType<TreeEntry>().ToList();
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    /// <summary>The directory <paramref name="source"/> names, opened; null when it is gone or is no longer the directory that was lstat'ed.</summary>
    private static Microsoft.Win32.SafeHandles.SafeFileHandle? OpenUnchanged(LayerPath source)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle? handle;
        try
        {
            handle = PosixDirectories.OpenDirectory(null, source.Path, source.Path);
        }
        catch (FileSystemCallException e) when (e.Errno is Errno.ELOOP or Errno.ENOTDIR)
        {
            return null; // a symlink or a file now
        }
        if (handle is null || source.Identity is not { } expected || PosixFiles.TryStatDescriptor(handle, out _)?.Identity == expected)
            return handle;
        handle.Dispose();
        return null;
    }

    /// <summary>The directory <paramref name="entry"/> of <paramref name="parent"/>, with the layers below it that show through.</summary>
    public TreeDirectory Enter(TreeDirectory parent, TreeEntry entry)
    {
        var sources = new List<LayerPath> { new(entry.Layer, entry.Path, entry.Status.Identity) };
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
            sources.Add(new LayerPath(below.Layer, candidate, status.Identity));
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
