namespace LxcSnap.Core.Containers;

/// <summary>
/// LXC's record of which containers share storage: a dependent lists what it depends on in
/// <c>lxc_rdepends</c>, and each container depended on lists its dependents in <c>lxc_snapshots</c>
/// (pairs of lines: lxcpath, name). liblxc refuses to destroy a container whose lxc_snapshots is
/// not empty.
///
/// liblxc over-records: an overlay clone of an overlay container is recorded as depending on its
/// source, although only the source's lower layer is shared (the delta is copied). Left alone,
/// that would make a container undeletable while it has snapshots and a snapshot undeletable once
/// restored. We keep only the true dependencies.
///
/// Every change is a read-modify-write made under liblxc's own disk lock on the container whose
/// file it is (<see cref="LxcDiskLock"/>), the lock liblxc takes when it appends to or removes
/// from lxc_snapshots, and is written atomically, so no entry of another writer is ever lost.
/// </summary>
internal static class Dependencies
{
    private const string DependsOnFile = "lxc_rdepends";
    private const string DependentsFile = "lxc_snapshots";

    /// <summary>What <paramref name="container"/> depends on, from its lxc_rdepends.</summary>
    public static IReadOnlyList<ContainerRef> DependsOn(ContainerRef container) =>
        ReadPairs(Path.Combine(container.Directory, DependsOnFile)) ?? [];

    /// <summary>The containers recorded as depending on <paramref name="container"/>.</summary>
    public static IReadOnlyList<ContainerRef> Dependents(ContainerRef container) =>
        ReadPairs(Path.Combine(container.Directory, DependentsFile)) ?? [];

    /// <summary>
    /// Removes <paramref name="dependency"/> from what the staged copy <paramref name="container"/>
    /// depends on. No lock: until it is published, no other process knows the copy.
    /// </summary>
    public static void Forget(ContainerRef container, ContainerRef dependency)
    {
        var path = Path.Combine(container.Directory, DependsOnFile);
        var recorded = ReadPairs(path) ?? [];
        var kept = recorded.Where(d => !SameContainer(d, dependency)).ToList();
        if (kept.Count != recorded.Count)
            WritePairs(path, kept);
    }

    /// <summary>
    /// Records, as liblxc's clone records a snapshot clone, that the staged copy
    /// <paramref name="copy"/> shares storage with <paramref name="sharedWith"/>: its lxc_rdepends
    /// names them, and each lists it among its dependents. The copy's own file needs no lock:
    /// until it is published, no other process knows the copy.
    /// </summary>
    public static void RecordSharing(ContainerRef copy, IReadOnlyList<ContainerRef> sharedWith)
    {
        if (sharedWith.Count == 0)
            return;
        WritePairs(Path.Combine(copy.Directory, DependsOnFile), [.. sharedWith]);
        foreach (var container in sharedWith)
            Register(container, copy);
    }

    /// <summary>Lists <paramref name="dependent"/> among <paramref name="container"/>'s dependents, if it is not listed yet.</summary>
    public static void Register(ContainerRef container, ContainerRef dependent) =>
        EditDependents(container, recorded => recorded.Any(d => SameContainer(d, dependent)) ? recorded : [.. recorded, dependent]);

    /// <summary>
    /// Puts <paramref name="container"/>'s lxc_snapshots right: drops the copies in a staging
    /// area that no longer exist or no longer name it in their lxc_rdepends, and
    /// <paramref name="departing"/> (a staged copy about to be removed) whatever it says; and
    /// lists <paramref name="verify"/> exactly when it depends on <paramref name="container"/>.
    /// Idempotent, so it also repairs what an interrupted run left behind.
    /// </summary>
    public static void Reconcile(ContainerRef container, ContainerRef? departing = null, ContainerRef? verify = null) =>
        EditDependents(container, recorded =>
        {
            // Only entries that lxc-snap itself may have left stale are checked: those naming a copy
            // in a staging area, and the one to verify. The rest are liblxc's own records, kept as
            // they are: a base with 1000 snapshots would otherwise cost 1000 file reads per snapshot.
            var isVerified = (ContainerRef dependent) => verify is not null && SameContainer(verify, dependent);
            var isChecked = (ContainerRef dependent) => IsStaged(dependent) || isVerified(dependent);
            var isDeparting = (ContainerRef dependent) => departing is not null && SameContainer(departing, dependent);
            ContainerRef[] added = verify is not null && !recorded.Any(isVerified) && StillDependsOn(verify, container) ? [verify] : [];
            return recorded
                .Where(dependent => !isDeparting(dependent) && (!isChecked(dependent) || StillDependsOn(dependent, container)))
                .Concat(added)
                .DistinctBy(dependent => Path.GetFullPath(dependent.Directory))
                .ToList();
        });

    /// <summary>
    /// The one read-modify-write of a container's lxc_snapshots: under liblxc's disk lock on it,
    /// written (atomically) only when <paramref name="change"/> changed something. A container
    /// that is gone, or whose file has the pre-2014 format (a count only), is left alone.
    /// </summary>
    private static void EditDependents(ContainerRef container, Func<List<ContainerRef>, List<ContainerRef>> change)
    {
        if (!container.ConfigExists)
            return;
        var path = Path.Combine(container.Directory, DependentsFile);
        using var diskLock = LxcDiskLock.Acquire(container);
        if (ReadPairs(path) is not { } recorded)
            return;
        var changed = change(recorded);
        if (!changed.SequenceEqual(recorded))
            WritePairs(path, changed);
    }

    private static bool StillDependsOn(ContainerRef dependent, ContainerRef container) =>
        dependent.ConfigExists && DependsOn(dependent).Any(d => SameContainer(d, container));

    private static bool IsStaged(ContainerRef dependent) =>
        dependent.LxcPath.Contains("/" + LxcSnapDirectory.Name + "/staging/", StringComparison.Ordinal);

    private static bool SameContainer(ContainerRef a, ContainerRef b) =>
        a.Name == b.Name && Path.GetFullPath(a.LxcPath).TrimEnd('/') == Path.GetFullPath(b.LxcPath).TrimEnd('/');

    /// <summary>
    /// The pairs in <paramref name="path"/>: none when it does not exist (liblxc deletes an empty
    /// lxc_snapshots), null for the pre-2014 format that holds only a count. One read, no
    /// separate existence check: another writer may delete the file at any moment.
    /// </summary>
    private static List<ContainerRef>? ReadPairs(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
        if (int.TryParse(text.Trim(), out _))
            return null;
        var lines = text.Split('\n');
        var pairs = new List<ContainerRef>();
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            if (lines[i].Length > 0 && lines[i + 1].Length > 0)
                pairs.Add(new ContainerRef(lines[i], lines[i + 1]));
        }
        return pairs;
    }

    // liblxc deletes an empty lxc_snapshots file; so do we, for both files.
    private static void WritePairs(string path, List<ContainerRef> pairs)
    {
        DurableFile.RemoveAbandonedTemporaries(path);
        if (pairs.Count == 0)
        {
            File.Delete(path);
            return;
        }
        DurableFile.ReplaceWithoutFlush(path, string.Concat(pairs.Select(p => $"{p.LxcPath}\n{p.Name}\n")));
    }
}
