using LxcSnap.Cli;
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
}
