using LxcSnap.Core.Copying;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core.Comparison;

/// <summary>
/// Compares two root filesystems (<see cref="LayeredTree"/>) path by path, reading nothing it
/// need not read:
/// 1. both are walked together, directory by directory, their sorted listings merged by name;
///    what both overlays take from the same lower layer is the same entry and is skipped, with
///    all below it, unread: two overlays over one lower layer are compared by their deltas;
/// 2. each pair of entries is compared by its lstat and extended attributes; a regular file of
///    another size is modified, one of the same size and mtime is taken as unchanged, as rsync and
///    git take it;
/// 3. the files of the same size and another mtime are compared byte by byte, in parallel. A hash
///    would read both files just the same and then compute: comparing the bytes stops at the first
///    difference and costs no CPU beyond the comparison itself.
/// </summary>
internal sealed class TreeComparer
{
    private readonly LayeredTree _from;
    private readonly LayeredTree _to;
    private readonly bool _skipSharedLayers;
    private readonly CancellationToken _cancellation;
    private readonly List<TreeChange> _changes = [];
    private readonly List<ContentCheck> _contentChecks = [];

    /// <summary>Regular files that only a comparison of their bytes tells apart.</summary>
    private sealed record ContentCheck(string Path, TreeEntry From, TreeEntry To, MetadataDifference Metadata);

    private TreeComparer(LayeredTree from, LayeredTree to, bool skipSharedLayers, CancellationToken cancellation)
    {
        _from = from;
        _to = to;
        _skipSharedLayers = skipSharedLayers;
        _cancellation = cancellation;
    }

    /// <summary>The paths that differ from <paramref name="from"/> to <paramref name="to"/>, sorted ordinally.</summary>
    /// <param name="useSharedLayers">Skip what two overlays share (the fast path); false walks all of both, to check the fast path against.</param>
    public static List<TreeChange> Compare(LayeredTree from, LayeredTree to, bool useSharedLayers = true, CancellationToken cancellation = default)
    {
        var comparer = new TreeComparer(from, to, useSharedLayers && from.SharesLowerLayersWith(to), cancellation);
        comparer.CompareDirectories(from.Root, to.Root, "");
        comparer.CheckContents();
        comparer._changes.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return comparer._changes;
    }

    private void CompareDirectories(TreeDirectory? from, TreeDirectory? to, string prefix)
    {
        _cancellation.ThrowIfCancellationRequested();
        var left = from is null ? [] : _from.List(from);
        var right = to is null ? [] : _to.List(to);
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            var order = i == left.Count ? 1 : j == right.Count ? -1 : string.CompareOrdinal(left[i].Name, right[j].Name);
            var a = order <= 0 ? left[i++] : null;
            var b = order >= 0 ? right[j++] : null;
            if (a is not null && b is not null && _skipSharedLayers && a.Layer > 0 && b.Layer > 0 && a.Path == b.Path)
                continue;
            CompareEntries(from, a, to, b, prefix + (a ?? b)!.Name);
        }
    }

    private void CompareEntries(TreeDirectory? fromParent, TreeEntry? a, TreeDirectory? toParent, TreeEntry? b, string path)
    {
        var before = a?.Status;
        var after = b?.Status;
        if (before is null || after is null || before.Kind != after.Kind)
        {
            _changes.Add(new TreeChange(path, before is null ? ChangeKind.Added : after is null ? ChangeKind.Deleted : ChangeKind.TypeChanged));
            // What lies below a directory on one side only was added or deleted with it.
            var fromBelow = before?.Kind == FileKind.Directory ? _from.Enter(fromParent!, a!) : null;
            var toBelow = after?.Kind == FileKind.Directory ? _to.Enter(toParent!, b!) : null;
            if (fromBelow is not null || toBelow is not null)
                CompareDirectories(fromBelow, toBelow, path + "/");
            return;
        }

        var metadata = Metadata(a!, b!);
        if (before.Kind == FileKind.Regular && before.Size != after.Size)
            _changes.Add(new TreeChange(path, ChangeKind.Modified, metadata));
        else if (before.Kind == FileKind.Regular && before.ModificationTime != after.ModificationTime && before.Identity != after.Identity)
            _contentChecks.Add(new ContentCheck(path, a!, b!, metadata));
        else if (metadata != MetadataDifference.None)
            _changes.Add(new TreeChange(path, ChangeKind.MetadataChanged, metadata));
        if (before.Kind == FileKind.Directory)
            CompareDirectories(_from.Enter(fromParent!, a!), _to.Enter(toParent!, b!), path + "/");
    }

    /// <summary>What differs between two entries of the same kind besides their contents.</summary>
    private MetadataDifference Metadata(TreeEntry a, TreeEntry b)
    {
        var (before, after) = (a.Status, b.Status);
        var differences = MetadataDifference.None;
        if (before.Permissions != after.Permissions)
            differences |= MetadataDifference.Mode;
        if (before.Uid != after.Uid || before.Gid != after.Gid)
            differences |= MetadataDifference.Owner;
        if (before.Kind is FileKind.CharacterDevice or FileKind.BlockDevice && before.DeviceNumber != after.DeviceNumber)
            differences |= MetadataDifference.DeviceNumber;
        if (before.Kind == FileKind.Symlink && PosixFiles.ReadLink(a.Path) != PosixFiles.ReadLink(b.Path))
            differences |= MetadataDifference.SymlinkTarget;
        if (!SameAttributes(_from.Attributes(a), _to.Attributes(b)))
            differences |= MetadataDifference.ExtendedAttributes;
        return differences;
    }

    private static bool SameAttributes(Dictionary<string, byte[]> before, Dictionary<string, byte[]> after) =>
        before.Count == after.Count
        && before.All(attribute => after.TryGetValue(attribute.Key, out var value) && value.AsSpan().SequenceEqual(attribute.Value));

    /// <summary>
    /// Compares the bytes of the files the walk could not tell apart, as many at once as the tree
    /// copy copies (one per core, up to 8): the same reads, minus the writes.
    /// </summary>
    private void CheckContents()
    {
        var differs = new bool[_contentChecks.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = TreeCopy.DefaultParallelism, CancellationToken = _cancellation };
        try
        {
            Parallel.For(0, _contentChecks.Count, options, i => differs[i] = !FileContents.Equal(_contentChecks[i].From, _contentChecks[i].To));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        for (var i = 0; i < differs.Length; i++)
        {
            var check = _contentChecks[i];
            if (differs[i])
                _changes.Add(new TreeChange(check.Path, ChangeKind.Modified, check.Metadata));
            else if (check.Metadata != MetadataDifference.None)
                _changes.Add(new TreeChange(check.Path, ChangeKind.MetadataChanged, check.Metadata));
        }
    }
}
