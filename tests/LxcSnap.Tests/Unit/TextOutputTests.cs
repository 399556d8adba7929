using LxcSnap.Cli;
using LxcSnap.Core.Comparison;
using LxcSnap.Core.Containers;
using LxcSnap.Core.Provisioning;
using LxcSnap.Core.Store;

namespace LxcSnap.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class TextOutputTests
{
    private static SnapshotInfo Snapshot(int version, string? timestamp, string? comment) =>
        new(new SnapshotName("mysql", version), new ContainerRef("/var/lib/lxcsnaps", $"mysql_{version}"), timestamp, comment is null ? null : SnapshotComment.FromText(comment));

    [Fact]
    public void Versions_print_in_the_original_format()
    {
        var output = new StringWriter();

        new TextResultWriter(output).Snapshots(new SnapshotStore("/var/lib/lxcsnaps"), "mysql",
        [
            Snapshot(0, "2026:11:28 10:00:00", null),
            Snapshot(2, "2026:11:28 11:30:05", "Initial definition of table doomahicky\nadded an index\n"),
            Snapshot(10, null, null),
        ], new Dictionary<string, SnapshotRole>());

        Assert.Equal(
            "mysql 0\t2026:11:28 10:00:00\n" +
            "mysql 2\t2026:11:28 11:30:05\n" +
            "Commit comment:\n" +
            " Initial definition of table doomahicky\n" +
            " added an index\n" +
            "mysql 10\n",
            output.ToString());
    }

    [Fact]
    public void A_snapshot_a_transaction_took_says_its_part_and_the_outcome()
    {
        var output = new StringWriter();
        var started = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
        var record = new ProvisioningRecord
        {
            Id = "t1", Container = "mysql", LxcPath = "/var/lib/lxc", Label = "install-db",
            Outcome = ProvisioningOutcome.RolledBack, Before = "mysql_0",
            StartedAt = started, EndedAt = started.AddSeconds(12.34),
        };

        new TextResultWriter(output).Snapshots(new SnapshotStore("/var/lib/lxcsnaps"), "mysql",
            [Snapshot(0, "2026:11:28 10:00:00", null)],
            new Dictionary<string, SnapshotRole> { ["mysql_0"] = new(record, ProvisioningStep.Before) });

        Assert.Equal("mysql 0\t2026:11:28 10:00:00\nProvisioning 'install-db': before, rolled back after 12.3 s\n", output.ToString());
    }

    [Fact]
    public void Containers_print_one_name_a_line()
    {
        var output = new StringWriter();
        new TextResultWriter(output).Containers(new SnapshotStore("/s"), ["db", "web"]);
        Assert.Equal("db\nweb\n", output.ToString());
    }

    [Theory]
    [InlineData("etc/passwd", "etc/passwd")]
    [InlineData("srv/caf\u00e9 menu", "srv/caf\u00e9 menu")]
    [InlineData("srv/two\nlines", "\"srv/two\\nlines\"")]
    [InlineData("srv/tab\there", "\"srv/tab\\there\"")]
    [InlineData("srv/say \"hi\"", "\"srv/say \\\"hi\\\"\"")]
    [InlineData("srv/back\\slash", "\"srv/back\\\\slash\"")]
    [InlineData("srv/escape\u001b[31m", "\"srv/escape\\033[31m\"")]
    public void Diff_paths_are_quoted_as_git_quotes_them_only_when_they_would_break_a_line(string path, string printed) =>
        Assert.Equal(printed, DiffText.QuotedPath(path));

    [Fact]
    public void Diff_prints_one_line_per_path_then_the_totals()
    {
        var output = new StringWriter();
        var side = new ComparedRootfs(new ContainerRef("/s", "web_1"), true, BackingStore.Parse("dir:/s/web_1/rootfs", _ => false), false);

        new TextResultWriter(output).Diff(new DiffResult(side, side, ComparisonMethod.TreeWalk,
        [
            new("bin/cat", ChangeKind.MetadataChanged, MetadataDifference.SymlinkTarget),
            new("etc/passwd", ChangeKind.Modified),
        ]), totals: true);

        Assert.Equal("m\tbin/cat\nM\tetc/passwd\n2 paths differ: 0 added, 0 deleted, 1 modified, 0 type changed, 1 metadata only\n", output.ToString());
    }
}
