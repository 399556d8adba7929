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
/// </summary>
internal static class Dependencies
{
    private const string DependsOnFile = "lxc_rdepends";
    private const string DependentsFile = "lxc_snapshots";

    /// <summary>What <paramref name="container"/> depends on, from its lxc_rdepends.</summary>
    public static IReadOnlyList<ContainerRef> DependsOn(ContainerRef container) =>
        ReadPairs(Path.Combine(container.Directory, DependsOnFile));

    /// <summary>The containers recorded as depending on <paramref name="container"/>.</summary>
    public static IReadOnlyList<ContainerRef> Dependents(ContainerRef container) =>
        ReadPairs(Path.Combine(container.Directory, DependentsFile));

    /// <summary>Removes <paramref name="dependency"/> from what <paramref name="container"/> depends on.</summary>
    public static void Forget(ContainerRef container, ContainerRef dependency)
    {
        var path = Path.Combine(container.Directory, DependsOnFile);
        var kept = ReadPairs(path).Where(d => !SameContainer(d, dependency)).ToList();
        WritePairs(path, kept);
    }

    /// <summary>
    /// Drops from <paramref name="container"/>'s lxc_snapshots the copies in a staging area that no
    /// longer exist or no longer name it in their lxc_rdepends, and adds <paramref name="known"/>
    /// dependents. Idempotent, so it also repairs what an interrupted run left behind. Holds liblxc's own disk lock on the
    /// container, as liblxc does when it edits the file.
    /// </summary>
    public static void Reconcile(ContainerRef container, params ContainerRef[] known)
    {
        if (!container.ConfigExists)
            return;
        var path = Path.Combine(container.Directory, DependentsFile);
        using var diskLock = LxcDiskLock.Acquire(container);
        var recorded = ReadPairs(path);
        if (recorded.Count == 0 && known.Length == 0 && File.Exists(path) && IsLegacyCount(path))
            return; // the pre-2014 format holds only a count: nothing we can check.
        // Only entries that lxc-snap itself may have left stale are checked: those naming a copy in
        // a staging area, and the ones being added. The rest are liblxc's own records, kept as they
        // are: a base with 1000 snapshots would otherwise cost 1000 file reads per snapshot.
        var valid = recorded.Where(dependent => !IsStaged(dependent) || StillDependsOn(dependent, container))
            .Concat(known.Where(dependent => StillDependsOn(dependent, container)))
            .DistinctBy(dependent => Path.GetFullPath(dependent.Directory))
            .ToList();
        if (!valid.SequenceEqual(recorded))
            WritePairs(path, valid);
    }

    private static bool StillDependsOn(ContainerRef dependent, ContainerRef container) =>
        dependent.ConfigExists && DependsOn(dependent).Any(d => SameContainer(d, container));

    private static bool IsStaged(ContainerRef dependent) =>
        dependent.LxcPath.Contains("/" + Store.LxcSnapDirectory.Name + "/staging/", StringComparison.Ordinal);

    private static bool SameContainer(ContainerRef a, ContainerRef b) =>
        a.Name == b.Name && Path.GetFullPath(a.LxcPath).TrimEnd('/') == Path.GetFullPath(b.LxcPath).TrimEnd('/');

    private static bool IsLegacyCount(string path) => int.TryParse(File.ReadAllText(path).Trim(), out _);

    private static List<ContainerRef> ReadPairs(string path)
    {
        if (!File.Exists(path))
            return [];
        var lines = File.ReadAllLines(path);
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
        if (pairs.Count == 0)
        {
            File.Delete(path);
            return;
        }
        DurableFile.ReplaceWithoutFlush(path, string.Concat(pairs.Select(p => $"{p.LxcPath}\n{p.Name}\n")));
    }
}
