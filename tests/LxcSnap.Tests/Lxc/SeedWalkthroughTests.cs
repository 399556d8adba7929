using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>
/// The original lxc-snap README's walk-through, run through the published executable against
/// real LXC: an overlay clone of a busybox base, changed and snapshotted again and again, listed,
/// restored beside the original and in its place, and a snapshot started as a container.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class SeedWalkthroughTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    [Fact]
    public void Snapshot_change_list_restore_and_start_as_the_seed_README_describes()
    {
        _sandbox.CreateBusybox("base");
        var mysql = _sandbox.CloneOverlay("base", "mysql");

        // Initial customisations, then the first snapshot.
        LxcSandbox.WriteFile(mysql, "/etc/motd", "version zero\n");
        var first = PublishedCli.Run(_sandbox.Cli("mysql"));
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("mysql_0", first.Stdout);

        // A change made inside the running container, then a snapshot with a comment.
        LxcSandbox.Start(mysql);
        LxcSandbox.Attach(mysql, "echo 'version one' > /etc/motd");
        LxcSandbox.Stop(mysql);
        var comment = Path.Combine(_sandbox.Root, "comment");
        File.WriteAllText(comment, "Initial definition of table doomahicky\nsecond line\n");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("-c", comment, "mysql")).ExitCode);

        // More changes and snapshots.
        LxcSandbox.WriteFile(mysql, "/etc/motd", "version two\n");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("mysql")).ExitCode);
        LxcSandbox.WriteFile(mysql, "/etc/motd", "version three\n");

        var containers = PublishedCli.Run(_sandbox.Cli("-l"));
        Assert.Equal(0, containers.ExitCode);
        Assert.Equal("mysql\n", containers.Stdout);

        var versions = PublishedCli.Run(_sandbox.Cli("-l", "mysql"));
        Assert.Equal(0, versions.ExitCode);
        var lines = versions.Stdout.Split('\n');
        Assert.Matches(@"^mysql 0\t\d{4}:\d\d:\d\d \d\d:\d\d:\d\d$", lines[0]);
        Assert.Equal(ThisMachine.MadeBy("snapshot"), lines[1]);
        Assert.Matches(@"^mysql 1\t", lines[2]);
        Assert.Equal("Commit comment:", lines[3]);
        Assert.Equal(" Initial definition of table doomahicky", lines[4]);
        Assert.Equal(" second line", lines[5]);
        Assert.Equal(ThisMachine.MadeBy("snapshot"), lines[6]);
        Assert.Matches(@"^mysql 2\t", lines[7]);
        Assert.Equal(ThisMachine.MadeBy("snapshot"), lines[8]);
        Assert.Equal("", lines[9]);

        // Restore a version beside the original and look at the file there.
        var restored = PublishedCli.Run(_sandbox.Cli("-r", "mysql_1", "mysql_tmp"));
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Equal("version one\n", LxcSandbox.ReadFile(_sandbox.Container("mysql_tmp"), "/etc/motd"));
        Assert.Equal("version three\n", LxcSandbox.ReadFile(mysql, "/etc/motd"));

        // Destroy mysql with LXC's own tool, then restore a version to its name.
        Shell.Check("lxc-destroy", "-P", _sandbox.LxcPath, "-n", "mysql");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("-r", "mysql_2", "mysql")).ExitCode);
        Assert.Equal("version two\n", LxcSandbox.ReadFile(mysql, "/etc/motd"));
        Assert.Equal(["base", "mysql", "mysql_tmp"], LxcSandbox.ListedByLxc(_sandbox.LxcPath));

        // Every snapshot is a container in the store that LXC lists and starts.
        Assert.Equal(["mysql_0", "mysql_1", "mysql_2"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        var snapshot = _sandbox.Snapshot("mysql_0");
        LxcSandbox.Start(snapshot);
        Assert.Equal("RUNNING", LxcSandbox.State(snapshot));
        Assert.Equal("version zero", LxcSandbox.Attach(snapshot, "cat /etc/motd").Trim());
        LxcSandbox.Stop(snapshot);
    }

    public void Dispose() => _sandbox.Dispose();
}
