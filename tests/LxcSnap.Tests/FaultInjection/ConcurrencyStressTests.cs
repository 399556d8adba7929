using System.Diagnostics;
using System.Text.Json;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.FaultInjection;

/// <summary>
/// Many lxc-snap processes on one store and one target at once, round after round: every
/// process either succeeds or loses a race with one clear line of its own (never liblxc's), every
/// snapshot is whole, versions are distinct, and afterwards nothing is left over and LXC's
/// dependency records are exactly true. LXCSNAP_FAULT_SCALE multiplies the rounds.
/// </summary>
[Trait("Category", "FaultInjection")]
public sealed class ConcurrencyStressTests : IDisposable
{
    private const int Processes = 6;
    private readonly FaultWorld _world = new(nameof(ConcurrencyStressTests));

    public ConcurrencyStressTests()
    {
        _world.ExpectSnapshotsOf("ov");
        _world.ExpectSnapshotsOf("big");
    }

    [Fact]
    public void Six_processes_snapshotting_one_overlay_container_make_six_whole_snapshots_every_round()
    {
        var rounds = 4 * FaultReport.Scale;
        for (var round = 0; round < rounds; round++)
        {
            var before = _world.Listed();
            var results = RunAtOnce(Enumerable.Repeat<string[]>(["ov"], Processes));
            var context = $"round {round + 1} of {rounds}";
            Assert.All(results, r => Assert.True(r.ExitCode == 0, $"{context}: {r}"));
            var made = _world.Listed().Except(before).ToList();
            Assert.True(made.Count == Processes, $"{context}: {Processes} snapshots made, {made.Count} listed: {string.Join(' ', made)}");
            _world.CheckSettled(context);
            FaultReport.Record("concurrent snapshots", rounds: 1, operations: Processes);
            KeepNewest(2);
        }
    }

    [Fact]
    public void Mixed_operations_on_one_store_and_one_target_all_succeed_or_lose_a_race_clearly()
    {
        // Three to begin with: the newest of a round is never the oldest one -d takes, nor one of
        // those prune takes after the round's two new ones, so that one restore always has a source.
        for (var i = 0; i < 3; i++)
            Succeed(["ov"]);
        Succeed(["big"]);
        var rounds = 3 * FaultReport.Scale;
        for (var round = 0; round < rounds; round++)
        {
            var versions = SnapshotsOf("ov");
            var (oldest, newest) = (versions[0], versions[^1]);
            string[][] operations =
            [
                ["ov"],
                ["big"],
                ["-r", newest, "target", "--force"],
                ["-r", oldest, "target", "--force"],
                ["-d", oldest],
                ["prune", "ov", "--keep", "3"],
                // Every snapshot is compared whole after each round: without this, big's would pile
                // up and each round of a long run take longer than the last.
                ["prune", "big", "--keep", "2"],
                ["-l", "ov"],
                ["--allow-running", "ov"],
            ];
            var results = RunAtOnce(operations);
            var context = $"round {round + 1} of {rounds}";
            for (var i = 0; i < operations.Length; i++)
            {
                // Losing a race for a snapshot another process destroyed or pruned is the one
                // acceptable failure here, and it says so in one line.
                var result = results[i];
                var lostRace = result.ExitCode == 1 && ErrorKind(result) == "snapshotNotFound" && ErrorLines(result).Count == 1;
                Assert.True(result.ExitCode == 0 || lostRace, $"{context}: lxc-snap {string.Join(' ', operations[i])}: {result}");
                Assert.DoesNotContain("liblxc", result.Stderr);
            }
            _world.CheckSettled(context);
            Assert.True(results[2].ExitCode == 0, $"{context}: the restore of the newest snapshot, {newest}, had its source: {results[2]}");
            var (match, differences) = FaultWorld.Matching(FaultWorld.ContentOf(_world.Sandbox.Container("target")), FaultWorld.ContentOf(_world.Sandbox.Container("ov")));
            Assert.True(match == 0, $"{context}: the restored target is not whole:\n{differences}");
            FaultReport.Record("concurrent mixed operations", rounds: 1, operations: operations.Length);
        }
    }

    [Fact]
    public void Six_processes_destroying_one_snapshot_one_succeeds_and_the_others_say_it_is_gone()
    {
        var rounds = 2 * FaultReport.Scale;
        for (var round = 0; round < rounds; round++)
        {
            var snapshot = JsonOf(Succeed(["ov", "--json"])).GetProperty("snapshot").GetProperty("name").GetString()!;
            var results = RunAtOnce(Enumerable.Repeat<string[]>(["-d", snapshot], Processes));
            var context = $"round {round + 1} of {rounds}";
            Assert.True(results.Count(r => r.ExitCode == 0) == 1, $"{context}: {string.Join("\n", results)}");
            Assert.All(results.Where(r => r.ExitCode != 0), r =>
                Assert.True(r.ExitCode == 1 && ErrorLines(r).SequenceEqual(
                        [$"lxc-snap: no snapshot '{snapshot}' in {_world.StorePath}: lxc-snap -P {_world.LxcPath} --snapshot-path {_world.StorePath} -l ov lists ov's snapshots."]),
                    $"{context}: {r}"));
            Assert.DoesNotContain(snapshot, _world.Listed());
            _world.CheckSettled(context);
            FaultReport.Record("concurrent destroys", rounds: 1, operations: Processes);
        }
    }

    [Fact]
    public void Six_forced_restores_onto_one_container_all_succeed_one_after_another()
    {
        Succeed(["ov"]);
        var rounds = 2 * FaultReport.Scale;
        for (var round = 0; round < rounds; round++)
        {
            var results = RunAtOnce(Enumerable.Repeat<string[]>(["-r", "ov_0", "target", "--force"], Processes));
            var context = $"round {round + 1} of {rounds}";
            Assert.All(results, r => Assert.True(r.ExitCode == 0, $"{context}: {r}"));
            _world.CheckSettled(context);
            FaultReport.Record("concurrent forced restores", rounds: 1, operations: Processes);
        }
    }

    [Fact]
    public void Six_restores_onto_one_new_name_one_wins_and_the_others_say_it_exists()
    {
        Succeed(["ov"]);
        var rounds = 2 * FaultReport.Scale;
        for (var round = 0; round < rounds; round++)
        {
            var name = $"copy{round}";
            var results = RunAtOnce(Enumerable.Repeat<string[]>(["-r", "ov_0", name], Processes));
            var context = $"round {round + 1} of {rounds}";
            Assert.True(results.Count(r => r.ExitCode == 0) == 1, $"{context}: {string.Join("\n", results)}");
            Assert.All(results.Where(r => r.ExitCode != 0), r =>
                Assert.True(r.ExitCode == 1 && ErrorLines(r) is [var line] && line.StartsWith($"lxc-snap: container '{name}' already exists", StringComparison.Ordinal),
                    $"{context}: {r}"));
            _world.CheckSettled(context);
            FaultReport.Record("concurrent restores to one name", rounds: 1, operations: Processes);
        }
    }

    private List<ProcessResult> RunAtOnce(IEnumerable<string[]> operations)
    {
        var processes = operations.Select(operation => Shell.Start(PublishedCli.Path, _world.Cli([.. operation, "--json"]))).ToList();
        return processes.Select(Finish).ToList();
    }

    private static ProcessResult Finish(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var result = new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
        process.Dispose();
        return result;
    }

    /// <summary>What a process said on stderr, but for the note that it waited for another one (a slow machine makes a loser wait longer).</summary>
    private static List<string> ErrorLines(ProcessResult result) =>
        result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("lxc-snap: waiting for another lxc-snap", StringComparison.Ordinal))
            .ToList();

    private List<string> SnapshotsOf(string container) =>
        _world.Listed().Where(n => n.StartsWith(container + "_", StringComparison.Ordinal))
            .OrderBy(n => int.Parse(n[(container.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();

    private static string? ErrorKind(ProcessResult result)
    {
        try
        {
            return JsonDocument.Parse(result.Stdout).RootElement.GetProperty("error").GetProperty("kind").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private ProcessResult Succeed(string[] operation)
    {
        var result = PublishedCli.Run(_world.Cli(operation));
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private static JsonElement JsonOf(ProcessResult result) => JsonDocument.Parse(result.Stdout).RootElement;

    /// <summary>Keeps the store small, so that checking every snapshot each round stays cheap.</summary>
    private void KeepNewest(int count)
    {
        foreach (var name in SnapshotsOf("ov").SkipLast(count))
            Succeed(["-d", name]);
    }

    public void Dispose() => _world.Dispose();
}
