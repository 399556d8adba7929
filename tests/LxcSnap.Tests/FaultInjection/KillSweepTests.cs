using System.Diagnostics;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.FaultInjection;

/// <summary>
/// lxc-snap and everything it started (liblxc's rsync, the provisioning command) killed with
/// SIGKILL as a process group, at instants swept evenly across the operation's whole length: the
/// crash points cover lxc-snap's own steps, this covers the instants between them and inside
/// liblxc. After each kill the same checks as there.
/// </summary>
[Trait("Category", "FaultInjection")]
public sealed class KillSweepTests
{
    /// <summary>Kills per scenario; LXCSNAP_FAULT_SCALE multiplies them.</summary>
    private const int Rounds = 3;

    public static TheoryData<string> Scenarios => new()
    {
        nameof(FaultScenario.SnapshotOverlay),
        nameof(FaultScenario.SnapshotDir),
        nameof(FaultScenario.RestoreAsNew),
        nameof(FaultScenario.RestoreReplacing),
        nameof(FaultScenario.Destroy),
        nameof(FaultScenario.Prune),
        nameof(FaultScenario.SnapshotRunning),
        nameof(FaultScenario.Run),
        nameof(FaultScenario.EndWithFailure),
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void A_kill_at_any_instant_leaves_nothing_half_done_and_the_next_run_finishes_the_job(string scenarioName)
    {
        var scenario = (FaultScenario)typeof(FaultScenario).GetField(scenarioName)!.GetValue(null)!;
        var duration = MeasureUninterrupted(scenario, scenarioName);
        var rounds = Rounds * FaultReport.Scale;
        for (var round = 0; round < rounds; round++)
        {
            // Evenly across [0, 1.1 x duration], the last rounds landing just after it ends.
            var delay = duration * ((round + 0.5) * 1.1 / rounds);
            using var world = new FaultWorld(scenarioName);
            var operation = scenario.Prepare(world);
            var context = $"{scenario}, killed {delay.TotalMilliseconds:0} ms in (round {round + 1} of {rounds}, uninterrupted {duration.TotalMilliseconds:0} ms)";

            var killed = KillAfter(world, operation, delay);
            FaultReport.Record("timed kills", kills: killed ? 1 : 0, rounds: 1);

            scenario.CheckInterrupted(world, context);
            scenario.Redo(world, operation, context + ", then run again");
        }
    }

    private static TimeSpan MeasureUninterrupted(FaultScenario scenario, string name)
    {
        using var world = new FaultWorld(name);
        var operation = scenario.Prepare(world);
        var clock = Stopwatch.StartNew();
        using var process = world.Start(operation);
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{scenario} without a fault: exit {process.ExitCode}: {stderr}");
        return clock.Elapsed;
    }

    /// <returns>True when the kill came before lxc-snap finished.</returns>
    private static bool KillAfter(FaultWorld world, string[] operation, TimeSpan delay)
    {
        using var process = world.Start(operation);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var finished = process.WaitForExit(delay);
        if (!finished)
            Shell.Run("kill", "-KILL", "--", "-" + process.Id);
        process.WaitForExit();
        _ = stdout.Result + stderr.Result;
        return process.ExitCode == 128 + 9;
    }
}
