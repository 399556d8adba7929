using System.Runtime.CompilerServices;
using LxcSnap.Core.Containers;
using LxcSnap.Core.Snapshots;
using LxcSnap.Core.Store;

namespace LxcSnap.Tests.Infrastructure;

/// <summary>
/// A test's own lxcpath and snapshot store under /tmp, with real busybox containers made by
/// LXC's own tools, observed with LXC's own tools, and removed (stopped first) afterwards.
/// Never /var/lib/lxc.
/// </summary>
public sealed class LxcSandbox : IDisposable
{
    private LxcSandbox(string root)
    {
        Root = root;
        Directory.CreateDirectory(LxcPath);
    }

    public string Root { get; }

    public string LxcPath => Path.Combine(Root, "lxc");

    /// <summary>lxc-snap's default store for <see cref="LxcPath"/>: the lxcpath followed by "snaps".</summary>
    public string StorePath => Path.Combine(Root, "lxcsnaps");

    public static LxcSandbox Create([CallerMemberName] string test = "") =>
        CreateUnder(Path.Combine(Path.GetTempPath(), "lxcsnap-tests"), test);

    /// <summary>A sandbox in <paramref name="parent"/>, e.g. on a file system the test made.</summary>
    public static LxcSandbox CreateUnder(string parent, [CallerMemberName] string test = "")
    {
        var name = new string(test.Where(char.IsAsciiLetterOrDigit).Take(24).ToArray());
        return new LxcSandbox(Path.Combine(parent, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]));
    }

    public ContainerRef Container(string name) => new(LxcPath, name);

    public ContainerRef Snapshot(string name) => new(StorePath, name);

    public SnapshotEngine Engine() => new(LxcPath, new SnapshotStore(StorePath));

    /// <summary>lxc-snap's arguments for this sandbox: its lxcpath, and so its default store.</summary>
    public string[] Cli(params string[] arguments) => ["-P", LxcPath, .. arguments];

    /// <summary>A busybox container (about 2 MB) that can really be started here.</summary>
    /// <param name="backingStore">lxc-create's -B: dir by default; btrfs makes the rootfs a subvolume (on a btrfs lxcpath).</param>
    public ContainerRef CreateBusybox(string name, string backingStore = "dir")
    {
        Shell.Check("lxc-create", "-P", LxcPath, "-t", "busybox", "-n", name, "-B", backingStore);
        MakeStartable(Container(name));
        return Container(name);
    }

    /// <summary>An overlay clone of <paramref name="baseName"/>, as the original lxc-snap README makes one.</summary>
    public ContainerRef CloneOverlay(string baseName, string name)
    {
        Shell.Check("lxc-copy", "-P", LxcPath, "-s", "-B", "overlay", "-n", baseName, "-N", name);
        return Container(name);
    }

    /// <summary>No lxcbr0 and no AppArmor here: an empty network and no profile let it start.</summary>
    private static void MakeStartable(ContainerRef container)
    {
        var lines = File.ReadAllLines(container.ConfigFile)
            .Where(line => !line.TrimStart().StartsWith("lxc.net.0", StringComparison.Ordinal)
                           && !line.TrimStart().StartsWith("lxc.apparmor.profile", StringComparison.Ordinal))
            .Append("lxc.net.0.type = empty")
            .Append("lxc.apparmor.profile = unconfined");
        File.WriteAllLines(container.ConfigFile, lines);
    }

    /// <summary>The container's rootfs.path, split into its writable layer and (overlay) lower layer.</summary>
    public static (string Writable, string? Lower) Layers(ContainerRef container)
    {
        var value = File.ReadLines(container.ConfigFile)
            .Where(line => line.StartsWith("lxc.rootfs.path", StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf('=') + 1)..].Trim())
            .Last();
        if (value.StartsWith("overlay:", StringComparison.Ordinal))
        {
            var parts = value["overlay:".Length..].Split(':');
            return (parts[1], parts[0]);
        }
        foreach (var prefix in new[] { "dir:", "btrfs:" })
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal))
                return (value[prefix.Length..], null);
        }
        return (value, null);
    }

    /// <summary>Writes a file into the container's root filesystem (its writable layer), as a stopped container's owner would.</summary>
    public static void WriteFile(ContainerRef container, string path, string content)
    {
        var target = Path.Combine(Layers(container).Writable, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, content);
    }

    /// <summary>A file of the container's root filesystem as the container sees it (overlay: upper, then lower).</summary>
    public static string? ReadFile(ContainerRef container, string path)
    {
        var (writable, lower) = Layers(container);
        foreach (var layer in new[] { writable, lower })
        {
            if (layer is null)
                continue;
            var candidate = Path.Combine(layer, path.TrimStart('/'));
            if (File.Exists(candidate))
                return new FileInfo(candidate).Length == 0 && IsWhiteout(candidate) ? null : File.ReadAllText(candidate);
        }
        return null;
    }

    /// <summary>overlayfs records a deleted lower file as a character device in the upper layer.</summary>
    private static bool IsWhiteout(string path) =>
        Shell.Check("stat", "--format=%F", path).Trim() == "character special file";

    public static void Start(ContainerRef container)
    {
        Shell.Check("lxc-start", "-P", container.LxcPath, "-n", container.Name);
        Shell.Check("lxc-wait", "-P", container.LxcPath, "-n", container.Name, "-s", "RUNNING", "-t", "30");
    }

    public static void Stop(ContainerRef container) =>
        Shell.Run("lxc-stop", "-P", container.LxcPath, "-n", container.Name, "-k");

    /// <summary>The container's state as lxc-info reports it: RUNNING, STOPPED, FROZEN.</summary>
    public static string State(ContainerRef container) =>
        Shell.Check("lxc-info", "-P", container.LxcPath, "-n", container.Name, "-s", "-H").Trim();

    /// <summary>Runs a shell command inside a running container.</summary>
    public static string Attach(ContainerRef container, string command) =>
        Shell.Check("lxc-attach", "-P", container.LxcPath, "-n", container.Name, "--", "sh", "-c", command);

    /// <summary>The containers LXC itself sees in <paramref name="lxcPath"/> (lxc-ls).</summary>
    public static IReadOnlyList<string> ListedByLxc(string lxcPath) =>
        Shell.Check("lxc-ls", "-P", lxcPath, "-1").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Every file and directory under the sandbox with its type, size, mode and times.</summary>
    /// <param name="running">Running containers, whose root filesystems change by themselves and are left out.</param>
    public DirectoryFingerprint Fingerprint(params ContainerRef[] running) =>
        DirectoryFingerprint.Of(Root, running.Select(c => Layers(c).Writable).ToArray());

    public void Dispose()
    {
        foreach (var lxcPath in new[] { LxcPath, StorePath }.Where(Directory.Exists))
        {
            var running = Shell.Run("lxc-ls", "-P", lxcPath, "-1", "--running").Stdout
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var name in running)
                Stop(new ContainerRef(lxcPath, name));
        }
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }
}
