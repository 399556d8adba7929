using System.Globalization;
using LxcSnap.Core.Containers;

namespace LxcSnap.Core.Store;

/// <summary>
/// A snapshot store: an lxcpath whose containers are snapshots named <c>NAME_N</c>, the seed's
/// layout. Only complete snapshots ever appear under their name (see <see cref="Staging"/>), so
/// listing needs no lock. lxc-snap's own bookkeeping lives in the hidden <c>.lxcsnap</c>
/// directory, which liblxc ignores because it holds no config.
/// </summary>
public sealed class SnapshotStore
{
    /// <summary>The seed's store: for lxcpath /var/lib/lxc, LXC itself also calls it the snapshot directory.</summary>
    public const string DefaultPath = "/var/lib/lxcsnaps";

    /// <summary>Environment variable that overrides <see cref="DefaultPath"/>.</summary>
    public const string PathVariable = "LXCSNAP_STORE";

    public SnapshotStore(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new LxcSnapException(LxcSnapError.InvalidArgument, "the snapshot store path is empty.");
        Path = System.IO.Path.GetFullPath(path);
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

    /// <summary>The names of the containers that have at least one snapshot, sorted.</summary>
    public IReadOnlyList<string> Containers() =>
        SnapshotNames().Select(n => n.Container).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The snapshots of exactly <paramref name="container"/> (not a prefix), oldest version first.</summary>
    public IReadOnlyList<SnapshotInfo> Snapshots(string container)
    {
        ContainerName.Validate(container, "container");
        return SnapshotNames()
            .Where(n => n.Container == container)
            .OrderBy(n => n.Version)
            .Select(Describe)
            .ToList();
    }

    /// <summary>The snapshot called <paramref name="name"/>, or null when the store has none.</summary>
    public SnapshotInfo? Find(SnapshotName name) =>
        Locate(name).ConfigExists ? Describe(name) : null;

    public ContainerRef Locate(SnapshotName name) => new(Path, name.ToString());

    /// <summary>The highest version of <paramref name="container"/> ever handed out, or -1.</summary>
    internal int HighestVersion(string container)
    {
        var existing = SnapshotNames().Where(n => n.Container == container).Select(n => n.Version).DefaultIfEmpty(-1).Max();
        return Math.Max(existing, ReadVersionMark(container));
    }

    /// <summary>
    /// Hands out the next version of <paramref name="container"/>: one more than any it ever had,
    /// so numbers freed by deletion are never reused and versions stay in time order. Two
    /// processes asking at once get different numbers (the store lock is held while it counts).
    /// </summary>
    internal SnapshotName AllocateVersion(string container)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(PrivateDirectory, "versions"));
        using var storeLock = FileLock.Acquire(System.IO.Path.Combine(PrivateDirectory, "store.lock"));
        var next = HighestVersion(container) + 1;
        // Not flushed: after a crash the published snapshots still count, and a mark lost with them
        // gives out again only a number whose snapshot never became durable.
        DurableFile.ReplaceWithoutFlush(VersionMarkFile(container), next.ToString(CultureInfo.InvariantCulture));
        return new SnapshotName(container, next);
    }

    private SnapshotInfo Describe(SnapshotName name)
    {
        var location = Locate(name);
        var (timestamp, comment) = SnapshotMetadata.Read(location.Directory);
        return new SnapshotInfo(name, location, timestamp, comment);
    }

    private IEnumerable<SnapshotName> SnapshotNames()
    {
        if (!Directory.Exists(Path))
            return [];
        return Directory.EnumerateDirectories(Path)
            .Select(d => System.IO.Path.GetFileName(d))
            .Where(name => File.Exists(System.IO.Path.Combine(Path, name, "config")))
            .Select(name => SnapshotName.TryParse(name, out var parsed) ? parsed : (SnapshotName?)null)
            .OfType<SnapshotName>();
    }

    private string VersionMarkFile(string container) =>
        System.IO.Path.Combine(PrivateDirectory, "versions", container);

    private int ReadVersionMark(string container)
    {
        var file = VersionMarkFile(container);
        return File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var mark)
            ? mark
            : -1;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
