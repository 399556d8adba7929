using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.FaultInjection;

/// <summary>
/// lxc-snap killed with SIGKILL at every named step of every operation (LXCSNAP_CRASH_AT, see
/// docs/reliability.md): right after the kill nothing half-made or half-removed is listed, no
/// container is frozen and every container is whole in one of the states it may be in; the next
/// run finishes or undoes the work, and afterwards nothing is left behind and LXC's dependency
/// records are exactly true.
/// </summary>
[Trait("Category", "FaultInjection")]
public sealed class CrashPointTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { nameof(FaultScenario.SnapshotOverlay), "stage.locked" },
        { nameof(FaultScenario.SnapshotOverlay), "stage.created" },
        { nameof(FaultScenario.SnapshotOverlay), "snapshot.numbered" },
        { nameof(FaultScenario.SnapshotOverlay), "snapshot.copied" },
        { nameof(FaultScenario.SnapshotOverlay), "durable-file.written" },
        { nameof(FaultScenario.SnapshotOverlay), "publish.registered" },
        { nameof(FaultScenario.SnapshotOverlay), "publish.synced" },
        { nameof(FaultScenario.SnapshotOverlay), "publish.renamed" },
        { nameof(FaultScenario.SnapshotDir), "tree-copy.entry:300" },
        { nameof(FaultScenario.SnapshotDir), "snapshot.copied" },
        { nameof(FaultScenario.SnapshotDir), "publish.renamed" },
        { nameof(FaultScenario.RestoreAsNew), "restore.copied" },
        { nameof(FaultScenario.RestoreAsNew), "publish.registered" },
        { nameof(FaultScenario.RestoreAsNew), "publish.renamed" },
        { nameof(FaultScenario.RestoreReplacing), "restore.copied" },
        { nameof(FaultScenario.RestoreReplacing), "publish.renamed" },
        { nameof(FaultScenario.RestoreReplacing), "publish.exchanged" },
        { nameof(FaultScenario.RestoreReplacing), "tree-removal.entry:3" },
        { nameof(FaultScenario.RestoreReplacing), "discard.reconciled" },
        { nameof(FaultScenario.RestoreReplacing), "discard.removed" },
        { nameof(FaultScenario.Destroy), "remove.moved" },
        { nameof(FaultScenario.Destroy), "tree-removal.entry:1" },
        { nameof(FaultScenario.Destroy), "tree-removal.entry:900" },
        { nameof(FaultScenario.Destroy), "discard.reconciled" },
        { nameof(FaultScenario.Destroy), "discard.removed" },
        { nameof(FaultScenario.Prune), "remove.moved" },
        { nameof(FaultScenario.Prune), "tree-removal.entry:5" },
        { nameof(FaultScenario.Prune), "remove.moved:2" },
        { nameof(FaultScenario.Prune), "discard.reconciled" },
        { nameof(FaultScenario.Prune), "discard.removed" },
        { nameof(FaultScenario.SnapshotRunning), "freeze.frozen" },
        { nameof(FaultScenario.SnapshotRunning), "snapshot.copied" },
        { nameof(FaultScenario.Run), "begin.snapshotted" },
        { nameof(FaultScenario.Run), "succeed.snapshotted" },
        { nameof(FaultScenario.EndWithFailure), "restore.copied" },
        { nameof(FaultScenario.EndWithFailure), "publish.exchanged" },
        { nameof(FaultScenario.EndWithFailure), "fail.restored" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_kill_at_a_step_leaves_nothing_half_done_and_the_next_run_finishes_the_job(string scenarioName, string point)
    {
        var scenario = (FaultScenario)typeof(FaultScenario).GetField(scenarioName)!.GetValue(null)!;
        using var world = new FaultWorld(scenarioName);
        var operation = scenario.Prepare(world);
        var context = $"{scenario} killed at {point}";

        using (var process = world.Start(operation, new Dictionary<string, string> { ["LXCSNAP_CRASH_AT"] = point }))
        {
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 128 + 9, $"{context}: the step was never reached (exit {process.ExitCode}): {stderr}");
        }
        FaultReport.Record("crash points", kills: 1);

        scenario.CheckInterrupted(world, context);
        scenario.Redo(world, operation, context + ", then run again");
    }

    [Fact]
    public void A_restore_killed_while_copying_into_another_lxcpath_holds_only_the_lower_layer_and_the_next_run_there_clears_it()
    {
        using var world = new FaultWorld(nameof(A_restore_killed_while_copying_into_another_lxcpath_holds_only_the_lower_layer_and_the_next_run_there_clears_it));
        world.ExpectSnapshotsOf("ov");
        Assert.Equal(0, PublishedCli.Run(world.Cli("ov")).ExitCode);
        var elsewhere = Path.Combine(world.Sandbox.Root, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        string[] restore = ["-P", elsewhere, "--snapshot-path", world.StorePath, "-r", "ov_0", "copy"];

        using (var process = Shell.Start("setsid", [PublishedCli.Path, .. restore],
                   new Dictionary<string, string> { ["LXCSNAP_CRASH_AT"] = "clone.copied" }))
        {
            process.WaitForExit();
            Assert.Equal(128 + 9, process.ExitCode);
        }
        // The half-made copy shares base's rootfs, which stays protected; the snapshot it was
        // copied from is not in use.
        Assert.False(File.Exists(Path.Combine(world.Sandbox.Snapshot("ov_0").Directory, "lxc_snapshots")));
        var baseRecords = Path.Combine(world.Sandbox.Container("base").Directory, "lxc_snapshots");
        Assert.Contains("/elsewhere/.lxcsnap/staging/", File.ReadAllText(baseRecords));

        var again = PublishedCli.Run(restore);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"removed the unfinished copy of 'copy', left by an interrupted lxc-snap in {elsewhere}", again.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(elsewhere, ".lxcsnap", "staging")));
        Assert.DoesNotContain("/.lxcsnap/", File.ReadAllText(baseRecords));
        var destroy = PublishedCli.Run(world.Cli("-d", "ov_0"));
        Assert.True(destroy.ExitCode == 0, destroy.ToString());
        Assert.Empty(world.Listed());
    }
}
