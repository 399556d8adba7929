using System.Diagnostics;
using LxcSnap.Core.Containers;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.FaultInjection;

/// <summary>
/// A sandbox set up for fault injection, with the checks every fault must pass, made with LXC's
/// own tools and the shell, never with lxc-snap's code:
/// - <c>base</c>, a busybox container (dir), the lower layer of <c>ov</c>, an overlay clone
///   whose delta holds a new file, a modified one, a file deleted from the lower layer (a
///   whiteout) and an opaque directory; and <c>big</c>, a dir container with a few thousand files,
///   so that copying and removing it take long enough to be cut off half-way;
/// - <see cref="CheckInvariants"/>: every listed snapshot is whole (equal, attribute by attribute,
///   to what it was taken from), nothing frozen, LXC's dependency records exactly true;
///   <see cref="CheckSettled"/> adds: nothing left in any staging area.
/// </summary>
public sealed class FaultWorld : IDisposable
{
    /// <summary>For each container, the contents a snapshot of it may have (one of them, whole).</summary>
    private readonly Dictionary<string, string[]> _takenFrom = new(StringComparer.Ordinal);

    public FaultWorld(string test)
    {
        Sandbox = LxcSandbox.Create(test);
        Sandbox.CreateBusybox("base");
        var ov = Sandbox.CloneOverlay("base", "ov");
        var delta = LxcSandbox.Layers(ov).Writable;
        Shell.Check("sh", "-euc", """
            cd "$1"
            mkdir -p srv etc/opaque
            printf 'added in the delta\n' > srv/added
            printf 'changed in the delta\n' > etc/motd
            mknod etc/fstab c 0 0
            setfattr -n trusted.overlay.opaque -v y etc/opaque
            printf 'inside an opaque directory\n' > etc/opaque/file
            """, "sh", delta);
        var big = Sandbox.CreateBusybox("big");
        WriteManyFiles(LxcSandbox.Layers(big).Writable);
    }

    /// <summary>2,000 small files in 40 directories and one of 8 MiB: input, so written directly.</summary>
    private static void WriteManyFiles(string rootfs)
    {
        var random = new Random(7);
        var block = new byte[2048];
        for (var d = 0; d < 40; d++)
        {
            var directory = Directory.CreateDirectory(Path.Combine(rootfs, "srv", "data", $"d{d}")).FullName;
            for (var f = 0; f < 50; f++)
            {
                random.NextBytes(block);
                File.WriteAllBytes(Path.Combine(directory, $"f{f}"), block);
            }
        }
        var blob = new byte[8 << 20];
        random.NextBytes(blob);
        File.WriteAllBytes(Path.Combine(rootfs, "srv", "blob"), blob);
    }

    public LxcSandbox Sandbox { get; }

    public string LxcPath => Sandbox.LxcPath;

    public string StorePath => Sandbox.StorePath;

    /// <summary>lxc-snap's arguments for this world.</summary>
    public string[] Cli(params string[] arguments) => Sandbox.Cli(arguments);

    /// <summary>The writable layer whose content a snapshot of <paramref name="container"/> must equal.</summary>
    public static string ContentOf(ContainerRef container) => LxcSandbox.Layers(container).Writable;

    /// <summary>Records that snapshots of <paramref name="container"/> must equal its content as it is now (a copy is kept).</summary>
    public void ExpectSnapshotsOf(string container) => _takenFrom[container] = [Reference(Sandbox.Container(container), container + "-snapshotted")];

    /// <summary>Records that each snapshot of <paramref name="container"/> must equal one of <paramref name="contents"/>.</summary>
    public void ExpectSnapshotsOf(string container, params string[] contents) => _takenFrom[container] = contents;

    /// <summary>A copy (cp -a) of <paramref name="container"/>'s writable layer as it is now, to compare with later.</summary>
    public string Reference(ContainerRef container, string name)
    {
        var copy = Path.Combine(Sandbox.Root, "references", name);
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        Shell.Check("cp", "-a", ContentOf(container), copy);
        return copy;
    }

    /// <summary>The index in <paramref name="candidates"/> of the tree <paramref name="content"/> equals whole, or -1 with what differs.</summary>
    public static (int Match, string Differences) Matching(string content, params string[] candidates)
    {
        var report = new System.Text.StringBuilder();
        for (var i = 0; i < candidates.Length; i++)
        {
            var differences = TreeAttributes.Differences(candidates[i], content, wholeOnly: true);
            if (differences.Count == 0)
                return (i, "");
            report.Append("against ").Append(candidates[i]).AppendLine(":").AppendJoin('\n', differences.Take(8)).AppendLine();
        }
        return (-1, report.ToString());
    }

    /// <summary>lxc-snap run with the world's lxcpath, in a session of its own; returns the process.</summary>
    public Process Start(IEnumerable<string> arguments, IDictionary<string, string>? environment = null) =>
        Shell.Start("setsid", [PublishedCli.Path, .. Sandbox.Cli([.. arguments])], environment);

    /// <summary>The snapshots LXC itself sees in the store.</summary>
    public IReadOnlyList<string> Listed() =>
        Directory.Exists(StorePath) ? LxcSandbox.ListedByLxc(StorePath) : [];

    /// <summary>
    /// What must hold at every instant, even right after a kill -9: every snapshot LXC lists is
    /// whole, lxc-snap lists exactly what LXC lists; and no container is frozen (or reported
    /// freezing) once the watcher of a killed --allow-running has had its milliseconds.
    /// </summary>
    public void CheckInvariants(string context)
    {
        var listed = Listed();
        var listedByLxcSnap = _takenFrom.Keys
            .SelectMany(container => Json(PublishedCli.Run(Cli("-l", container, "--json")), context)
                .GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("name").GetString()!))
            .Order(StringComparer.Ordinal).ToList();
        var listedOfKnownContainers = listed.Where(name => _takenFrom.ContainsKey(name[..name.LastIndexOf('_')])).Order(StringComparer.Ordinal).ToList();
        Assert.True(listedByLxcSnap.SequenceEqual(listedOfKnownContainers),
            $"{context}: lxc-snap lists [{string.Join(' ', listedByLxcSnap)}], LXC [{string.Join(' ', listedOfKnownContainers)}]");
        foreach (var name in listedOfKnownContainers)
        {
            var container = name[..name.LastIndexOf('_')];
            var snapshot = Sandbox.Snapshot(name);
            var (match, differences) = Matching(ContentOf(snapshot), _takenFrom[container]);
            Assert.True(match >= 0, $"{context}: snapshot {name} is not whole:\n{differences}");
            Assert.True(File.Exists(Path.Combine(snapshot.Directory, "ts")), $"{context}: snapshot {name} has no ts");
        }
        foreach (var lxcPath in new[] { LxcPath, StorePath }.Where(Directory.Exists))
        {
            // Not lxc-ls --frozen: it leaves out a container LXC reports FREEZING.
            var frozen = Shell.Check("lxc-ls", "-P", lxcPath, "-f", "-F", "NAME,STATE")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(columns => columns.Length == 2 && columns[1] is "FROZEN" or "FREEZING")
                .Select(columns => $"{columns[0]} ({columns[1]})")
                .ToList();
            Assert.True(frozen.Count == 0, $"{context}: frozen in {lxcPath}: {string.Join(' ', frozen)}");
        }
    }

    /// <summary>
    /// What must hold once a run has finished (or recovered from) everything: the invariants, no
    /// stage left anywhere, and LXC's dependency records exactly true: <c>base</c> lists
    /// <c>ov</c> and every overlay snapshot or restored copy whose lower layer it is, and nothing
    /// else lists anything.
    /// </summary>
    public void CheckSettled(string context)
    {
        CheckInvariants(context);
        var left = StagesLeft();
        Assert.True(left.Count == 0, $"{context}: left in the staging areas: {string.Join(' ', left)}");
        var expected = OverlaysOn("base").Order(StringComparer.Ordinal).ToList();
        var recorded = DependentsRecorded(Sandbox.Container("base")).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(recorded),
            $"{context}: base's lxc_snapshots lists [{string.Join(' ', recorded)}], expected [{string.Join(' ', expected)}]");
        foreach (var container in AllContainers().Where(c => c.Name != "base"))
        {
            var dependents = DependentsRecorded(container);
            Assert.True(dependents.Count == 0, $"{context}: {container} lists dependents [{string.Join(' ', dependents)}]");
        }
    }

    /// <summary>What is in the staging areas of the lxcpath and the store: nothing, once every run has finished or recovered.</summary>
    public List<string> StagesLeft() =>
        new[] { LxcPath, StorePath }
            .Select(lxcPath => Path.Combine(lxcPath, ".lxcsnap", "staging"))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFileSystemEntries)
            .ToList();

    /// <summary>Every container in the lxcpath and the store whose lower layer is <paramref name="baseName"/>'s rootfs, as lxcpath/name.</summary>
    private IEnumerable<string> OverlaysOn(string baseName)
    {
        var lower = LxcSandbox.Layers(Sandbox.Container(baseName)).Writable;
        return AllContainers()
            .Where(c => LxcSandbox.Layers(c).Lower == lower)
            .Select(c => $"{c.LxcPath}/{c.Name}");
    }

    private IEnumerable<ContainerRef> AllContainers() =>
        new[] { LxcPath, StorePath }.Where(Directory.Exists)
            .SelectMany(lxcPath => LxcSandbox.ListedByLxc(lxcPath).Select(name => new ContainerRef(lxcPath, name)));

    private static List<string> DependentsRecorded(ContainerRef container)
    {
        var file = Path.Combine(container.Directory, "lxc_snapshots");
        if (!File.Exists(file))
            return [];
        var lines = File.ReadAllLines(file);
        return Enumerable.Range(0, lines.Length / 2).Select(i => $"{lines[2 * i]}/{lines[2 * i + 1]}").ToList();
    }

    public static System.Text.Json.JsonElement Json(ProcessResult result, string context)
    {
        Assert.True(result.ExitCode == 0, $"{context}: {result}");
        return System.Text.Json.JsonDocument.Parse(result.Stdout).RootElement;
    }

    public void Dispose() => Sandbox.Dispose();
}
