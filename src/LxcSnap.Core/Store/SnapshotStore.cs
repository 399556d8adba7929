using System.Globalization;
using LxcSnap.Core.Containers;

namespace LxcSnap.Core.Store;

/// <summary>
/// A snapshot store: an lxcpath whose containers are snapshots named <c>NAME_N</c>, the seed's
/// layout. Only complete snapshots ever appear under their name (see <see cref="Staging"/>), so
/// listing needs no lock. lxc-snap's own bookkeeping lives in the hidden <c>.lxcsnap</c>
/// directory, which liblxc ignores because it holds no config.
///
/// The store may be shared with LXC's own lxc-snapshot, which keeps its snapshots in
/// <c>STORE/NAME/snapN</c> when the store is the lxcpath followed by "snaps": an entry holding
/// no config is not a snapshot of ours, and its name is never given out as a version.
/// </summary>
public sealed class SnapshotStore
{
    /// <summary>The seed's store: for lxcpath /var/lib/lxc, LXC itself also calls it the snapshot directory.</summary>
    public const string DefaultPath = "/var/lib/lxcsnaps";

    /// <summary>Environment variable that overrides <see cref="DefaultPath"/>.</summary>
    public const string PathVariable = "LXCSNAP_STORE";

    public SnapshotStore(string path)
    {
        Path = PathRules.Validate(path, "snapshot store");
    }

    /// <summary>
    /// The store for containers in <paramref name="lxcPath"/>: <paramref name="explicitPath"/> if
    /// given, else <see cref="PathVariable"/>, else the lxcpath followed by "snaps" as the original
    /// lxc-snap did, which for /var/lib/lxc is <see cref="DefaultPath"/>.
    /// </summary>
    public static SnapshotStore Resolve(string? explicitPath, string lxcPath) =>
        new(NonEmpty(explicitPath)
            ?? NonEmpty(Environment.GetEnvironmentVariable(PathVariable))
            ?? System.IO.Path.GetFullPath(lxcPath).TrimEnd('/') + "snaps");

    public string Path { get; }

    internal string PrivateDirectory => System.IO.Path.Combine(Path, LxcSnapDirectory.Name);

    /// <summary>True when the store's directory exists (false for a store nothing was snapshotted into yet).</summary>
    public bool Exists => PathAccess.Exists(Path);

    /// <summary>The names of the containers that have at least one snapshot, sorted.</summary>
    public IReadOnlyList<string> Containers()
    {
        using var store = OpenForReading();
        return store is null
            ? []
            : EntriesNamedLikeSnapshots(store).Where(name => store.Exists(ConfigOf(name)))
                .Select(n => n.Container).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The snapshots of exactly <paramref name="container"/> (not a prefix), oldest version first.</summary>
    /// <param name="withBacking">
    /// Also read each one's backing store from its config (<see cref="SnapshotInfo.Backing"/>): the
    /// JSON listing shows it; a text listing of 1000 snapshots need not read 1000 configs.
    /// </param>
    public IReadOnlyList<SnapshotInfo> Snapshots(string container, bool withBacking = false)
    {
        ContainerName.Validate(container, "container");
        using var store = OpenForReading();
        if (store is null)
            return [];
        var names = EntriesNamedLikeSnapshots(store)
            .Where(n => n.Container == container)
            .OrderBy(n => n.Version)
            .ToList();
        // Each snapshot costs a dozen small system calls (ts, comment, provenance, a look at the
        // config), independent of the others' and most of a long listing's time: with provenance
        // a listing of 1000 took 1.3x what it took without, and reading them on every core brings
        // it back (measured in bench/: docs/benchmarks.md). Below a few hundred the threads cost
        // about what they save.
        var described = new SnapshotInfo?[names.Count];
        if (names.Count >= DescribeInParallelFrom)
            Parallel.For(0, names.Count, i => described[i] = Describe(store, names[i], withBacking));
        else
            for (var i = 0; i < names.Count; i++)
                described[i] = Describe(store, names[i], withBacking);
        return described.OfType<SnapshotInfo>().ToList();
    }

    private const int DescribeInParallelFrom = 256;

    /// <summary>The snapshot called <paramref name="name"/>, with its backing store, or null when the store has none.</summary>
    public SnapshotInfo? Find(SnapshotName name)
    {
        using var store = OpenForReading();
        return store is null ? null : Describe(store, name, withBacking: true);
    }

    public ContainerRef Locate(SnapshotName name) => new(Path, name.ToString());

    /// <summary>Creates the store's directory if it does not exist yet, or says clearly why it cannot be one.</summary>
    internal void EnsureExists() => PathRules.EnsureDirectory(Path, "snapshot store");

    /// <summary>
    /// Hands out the next version of <paramref name="container"/>: one more than any it ever had,
    /// so numbers freed by deletion are never reused and versions stay in time order; and never a
    /// number whose name another tool's entry holds. Two processes asking at once get different
    /// numbers (the store lock is held while it counts).
    /// </summary>
    internal SnapshotName AllocateVersion(string container, Action<string>? notice)
    {
        LxcSnapDirectory.Create(System.IO.Path.Combine(PrivateDirectory, "versions"));
        using var storeLock = FileLock.Acquire(System.IO.Path.Combine(PrivateDirectory, "store.lock"));
        var highest = Math.Max(HighestNameTaken(container), ReadVersionMark(container, notice));
        if (highest == int.MaxValue)
        {
            throw new LxcSnapException(LxcSnapError.TargetExists,
                $"'{container}' has used every version number up to {int.MaxValue} ({Locate(new SnapshotName(container, highest)).Directory} exists): no further snapshot of it can be numbered.");
        }
        var next = highest + 1;
        // Not flushed: after a crash the published snapshots still count, and a mark lost with them
        // gives out again only a number whose snapshot never became durable.
        DurableFile.ReplaceWithoutFlush(VersionMarkFile(container), next.ToString(CultureInfo.InvariantCulture));
        return new SnapshotName(container, next);
    }

    /// <summary>
    /// What the store holds under <paramref name="name"/>, read while other processes may be
    /// taking it away; null when it holds no snapshot (no config). The config is looked at last:
    /// a snapshot is published whole with one rename and taken out of sight with one rename, never
    /// back, so a config still there after the ts, comment and provenance were read means those were the
    /// snapshot's own, and never a listing of one that is half gone. With
    /// <paramref name="withBacking"/> that look is the one read of the config that says how its
    /// rootfs is stored.
    /// </summary>
    private SnapshotInfo? Describe(DirectoryReader store, SnapshotName name, bool withBacking)
    {
        var directory = name.ToString();
        var (timestamp, comment, provenance, problems) = SnapshotMetadata.Read(store, directory);
        var config = System.IO.Path.Combine(directory, "config");
        BackingStoreKind? backing = null;
        if (withBacking)
        {
            var (outcome, configText) = store.ReadBounded(config, MaxConfigBytes);
            if (outcome == BoundedFile.Outcome.Missing)
                return null;
            var rootfs = outcome == BoundedFile.Outcome.Read ? ContainerConfig.FindItem(System.Text.Encoding.UTF8.GetString(configText), "lxc.rootfs.path") : null;
            backing = string.IsNullOrEmpty(rootfs) ? BackingStoreKind.Other : BackingStore.Parse(rootfs, _ => false).Kind;
        }
        else if (!store.Exists(config))
        {
            return null;
        }
        return new SnapshotInfo(name, Locate(name), timestamp, comment) { Problems = problems, Backing = backing, Provenance = provenance };
    }

    /// <summary>A snapshot's config, relative to the store.</summary>
    private static string ConfigOf(SnapshotName name) => System.IO.Path.Combine(name.ToString(), "config");

    /// <summary>The store's directory, to read from; null when nothing was snapshotted into it yet.</summary>
    private DirectoryReader? OpenForReading() => DirectoryReader.Open(Path);

    /// <summary>A container config is a few kilobytes; one beyond this is read as naming no backing store.</summary>
    private const int MaxConfigBytes = 1 << 20;

    /// <summary>
    /// Every entry of the store named like a snapshot of <paramref name="container"/>, config or not:
    /// lxc-snapshot's own directories and half-removed leftovers keep their names taken.
    /// </summary>
    private int HighestNameTaken(string container)
    {
        using var store = OpenForReading();
        return store is null
            ? -1
            : EntriesNamedLikeSnapshots(store).Where(n => n.Container == container).Select(n => n.Version).DefaultIfEmpty(-1).Max();
    }

    private static List<SnapshotName> EntriesNamedLikeSnapshots(DirectoryReader store) =>
        store.Names()
            .Select(entry => SnapshotName.TryParse(entry, out var parsed) ? parsed : (SnapshotName?)null)
            .OfType<SnapshotName>()
            .ToList();

    private string VersionMarkFile(string container) =>
        System.IO.Path.Combine(PrivateDirectory, "versions", container);

    /// <summary>The highest version ever handed out, or -1; a mark that is no version number is reported and ignored.</summary>
    private int ReadVersionMark(string container, Action<string>? notice)
    {
        var file = VersionMarkFile(container);
        var (outcome, bytes) = BoundedFile.Read(file, 32, followSymlinks: false);
        if (outcome == BoundedFile.Outcome.Missing)
            return -1;
        var text = outcome == BoundedFile.Outcome.Read ? System.Text.Encoding.UTF8.GetString(bytes).Trim() : "";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var mark) && mark < int.MaxValue)
            return mark;
        notice?.Invoke($"ignored the version mark {file}: it holds {Printable.Quote(text)}, not a version number. Versions are counted from the snapshots themselves; delete the file if it is damaged.");
        return -1;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
