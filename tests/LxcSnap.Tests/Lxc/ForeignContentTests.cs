using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>
/// lxc-snap deletes only what it made, inside the snapshot's own directory: a snapshot whose config
/// points elsewhere, or whose root filesystem is a symlink, is refused and the data it points at
/// stays; and a store shared with LXC's own lxc-snapshot keeps that tool's snapshots.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class ForeignContentTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();
    private readonly string _canary;

    public ForeignContentTests()
    {
        _sandbox.CreateBusybox("web");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("web")).ExitCode);
        _canary = Path.Combine(_sandbox.Root, "outside");
        Directory.CreateDirectory(Path.Combine(_canary, "data"));
        File.WriteAllText(Path.Combine(_canary, "data", "precious"), "not lxc-snap's");
    }

    [Fact]
    public void A_snapshot_whose_config_points_outside_its_directory_is_refused_and_nothing_outside_is_touched()
    {
        var snapshot = _sandbox.Snapshot("web_0");
        Rewrite(snapshot.ConfigFile, "lxc.rootfs.path", $"dir:{_canary}");
        var before = _sandbox.Fingerprint();

        var destroy = PublishedCli.Run(_sandbox.Cli("-d", "web_0"));
        var prune = PublishedCli.Run(_sandbox.Cli("prune", "web", "--keep", "0"));

        Assert.Equal(1, destroy.ExitCode);
        Assert.Contains($"snapshot 'web_0' is not destroyed: 'web_0' in {_sandbox.StorePath} keeps its root filesystem at {_canary}, outside its own directory", destroy.Stderr);
        Assert.True(prune.ExitCode == 0, prune.ToString());
        Assert.Contains("kept web_0: snapshot 'web_0' is not destroyed", prune.Stdout);
        Assert.Equal("not lxc-snap's", File.ReadAllText(Path.Combine(_canary, "data", "precious")));
        Assert.Empty(before.Differences(_sandbox.Fingerprint()));
    }

    [Fact]
    public void A_snapshot_whose_root_filesystem_is_a_symlink_is_refused_and_its_target_stays()
    {
        var rootfs = Path.Combine(_sandbox.Snapshot("web_0").Directory, "rootfs");
        Directory.Delete(rootfs, recursive: true);
        File.CreateSymbolicLink(rootfs, _canary);

        var destroy = PublishedCli.Run(_sandbox.Cli("-d", "web_0"));

        Assert.Equal(1, destroy.ExitCode);
        Assert.Contains($"{rootfs} is a symlink", destroy.Stderr);
        Assert.Equal(["web_0"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        Assert.Equal("not lxc-snap's", File.ReadAllText(Path.Combine(_canary, "data", "precious")));
    }

    [Fact]
    public void A_symlink_inside_a_snapshot_is_removed_as_a_link_and_its_target_stays()
    {
        File.CreateSymbolicLink(Path.Combine(_sandbox.Snapshot("web_0").Directory, "rootfs", "srv-link"), _canary);

        var destroy = PublishedCli.Run(_sandbox.Cli("-d", "web_0"));

        Assert.True(destroy.ExitCode == 0, destroy.ToString());
        Assert.Empty(LxcSandbox.ListedByLxc(_sandbox.StorePath));
        Assert.Equal("not lxc-snap's", File.ReadAllText(Path.Combine(_canary, "data", "precious")));
    }

    [Fact]
    public void Snapshots_lxc_snapshot_keeps_in_a_snapshot_directory_are_never_destroyed()
    {
        // With LXCPATH+"snaps" present, lxc-snapshot keeps the snapshots of a container named
        // web_0 in STORE/web_0/snapN: inside lxc-snap's snapshot of the same name.
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("-r", "web_0", "web_0")).ExitCode);
        Shell.Check("lxc-snapshot", "-P", _sandbox.LxcPath, "-n", "web_0");
        var theirs = Path.Combine(_sandbox.StorePath, "web_0", "snap0");
        Assert.True(File.Exists(Path.Combine(theirs, "config")), "lxc-snapshot did not use the shared layout");
        var before = _sandbox.Fingerprint();

        var destroy = PublishedCli.Run(_sandbox.Cli("-d", "web_0"));

        Assert.Equal(1, destroy.ExitCode);
        Assert.Contains("also holds snapshots made by lxc-snapshot (snap0)", destroy.Stderr);
        Assert.Empty(before.Differences(_sandbox.Fingerprint()));
        Assert.Contains("snap0", Shell.Check("lxc-snapshot", "-P", _sandbox.LxcPath, "-n", "web_0", "-L"));
    }

    [Fact]
    public void A_directory_lxc_snapshot_made_under_a_snapshot_name_is_skipped_when_numbering()
    {
        // lxc-snapshot of a container called web_1 makes STORE/web_1 (no config of its own).
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("-r", "web_0", "web_1")).ExitCode);
        Shell.Check("lxc-snapshot", "-P", _sandbox.LxcPath, "-n", "web_1");

        var next = PublishedCli.Run(_sandbox.Cli("web"));

        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Contains("Created snapshot web_2", next.Stdout);
        Assert.True(File.Exists(Path.Combine(_sandbox.StorePath, "web_1", "snap0", "config")));
        Assert.Equal(["web 0", "web 2"], PublishedCli.Run(_sandbox.Cli("-l", "web")).Stdout
            .Split('\n').Where(l => l.StartsWith("web ", StringComparison.Ordinal)).Select(l => l.Split('\t')[0]));
    }

    private static void Rewrite(string config, string key, string value) =>
        File.WriteAllLines(config, File.ReadAllLines(config).Select(line => line.StartsWith(key, StringComparison.Ordinal) ? $"{key} = {value}" : line));

    public void Dispose() => _sandbox.Dispose();
}
