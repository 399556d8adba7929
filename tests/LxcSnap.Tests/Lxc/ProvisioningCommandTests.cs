using System.Diagnostics;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>lxc-snap run, begin, end and prune through the published executable.</summary>
[Trait("Category", "Lxc")]
public sealed class ProvisioningCommandTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    [Fact]
    public void Begin_and_end_in_separate_processes_pair_a_before_and_an_after_snapshot()
    {
        var web = _sandbox.CreateBusybox("web");

        var begin = PublishedCli.Run(_sandbox.Cli("begin", "web", "--label", "ci-step"));
        LxcSandbox.WriteFile(web, "/srv/app", "deployed");
        var end = PublishedCli.Run(_sandbox.Cli("end", "web", "--label", "ci-step", "--success"));

        Assert.True(begin.ExitCode == 0, begin.ToString());
        Assert.Contains("before snapshot web_0", begin.Stdout);
        Assert.True(end.ExitCode == 0, end.ToString());
        Assert.Contains("before web_0, after web_1", end.Stdout);
        Assert.Equal("deployed", LxcSandbox.ReadFile(_sandbox.Snapshot("web_1"), "/srv/app"));
        var listing = PublishedCli.Run(_sandbox.Cli("-l", "web")).Stdout;
        Assert.Contains("Provisioning 'ci-step': before, succeeded after", listing);
        Assert.Contains("Provisioning 'ci-step': after, succeeded after", listing);
    }

    [Fact]
    public void End_with_failure_in_another_process_restores_the_container()
    {
        var web = _sandbox.CreateBusybox("web");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("begin", "web")).ExitCode);
        LxcSandbox.WriteFile(web, "/srv/app", "broken");

        var end = PublishedCli.Run(_sandbox.Cli("end", "web", "--failure"));

        Assert.True(end.ExitCode == 0, end.ToString());
        Assert.Contains("restored web from web_0", end.Stdout);
        Assert.Null(LxcSandbox.ReadFile(web, "/srv/app"));
    }

    [Fact]
    public void End_without_an_open_transaction_is_refused()
    {
        _sandbox.CreateBusybox("web");

        var end = PublishedCli.Run(_sandbox.Cli("end", "web", "--label", "nothing", "--success"));

        Assert.Equal(1, end.ExitCode);
        Assert.Contains("has no open provisioning transaction 'nothing'", end.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_sandbox.StorePath, "web_0")));
    }

    [Fact]
    public void Run_takes_the_command_exit_code_and_restores_on_failure()
    {
        var web = _sandbox.CreateBusybox("web");
        var writeMarker = "echo $LXCSNAP_BEFORE > \"$LXCSNAP_LXCPATH/$LXCSNAP_CONTAINER/rootfs/marker\"";

        var succeeded = PublishedCli.Run(_sandbox.Cli("run", "web", "--", "sh", "-c", writeMarker));
        var failed = PublishedCli.Run(_sandbox.Cli("run", "web", "--label", "bad", "--", "sh", "-c", "rm \"$LXCSNAP_LXCPATH/$LXCSNAP_CONTAINER/rootfs/marker\"; exit 3"));

        Assert.True(succeeded.ExitCode == 0, succeeded.ToString());
        Assert.Equal(3, failed.ExitCode);
        Assert.Contains("failed after", failed.Stdout);
        Assert.Equal("web_0\n", LxcSandbox.ReadFile(web, "/marker"));
        Assert.Equal(["web_0", "web_1", "web_2"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    [Fact]
    public void Run_of_a_command_that_does_not_exist_changes_nothing()
    {
        _sandbox.CreateBusybox("web");
        var before = _sandbox.Fingerprint();

        var result = PublishedCli.Run(_sandbox.Cli("run", "web", "--", "no-such-command-here"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("command 'no-such-command-here' not found", result.Stderr);
        Assert.Empty(before.Differences(_sandbox.Fingerprint()));
    }

    /// <summary>
    /// A stop asked for while the command runs (SIGTERM from a supervisor, SIGINT to lxc-snap alone
    /// as a CI system sends it) is passed on to the command as SIGTERM, and counts as a
    /// cancellation whatever the command then exits with: never recorded as success, the container
    /// restored before lxc-snap exits. A command that exits 0 when asked to stop makes lxc-snap exit 130.
    /// </summary>
    [Theory]
    [InlineData("TERM", "exec sleep 60", 128 + 15)]
    [InlineData("INT", "exec sleep 60", 128 + 15)]
    [InlineData("INT", "trap 'exit 0' TERM; sleep 60 & wait", 130)]
    public void A_stop_during_run_is_a_cancellation_and_the_restore_finishes_before_exit(string signal, string command, int exitCode)
    {
        var web = _sandbox.CreateBusybox("web");
        var marker = Path.Combine(LxcSandbox.Layers(web).Writable, "half-done");
        using var process = Shell.Start(PublishedCli.Path, _sandbox.Cli("run", "web", "--", "sh", "-c", $"echo started > '{marker}'; {command}"));
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(marker))
        {
            Assert.False(process.HasExited);
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the command never started");
            Thread.Sleep(20);
        }

        Shell.Check("kill", "-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Both are a few lines: reading one to its end cannot block the other.
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000));

        Assert.Equal(exitCode, process.ExitCode);
        Assert.Contains("restored web from web_0", stdout);
        // Said the moment the stop came, before the command had ended or the restore begun.
        Assert.Matches(@"lxc-snap: interrupted: stopping sh \(SIGTERM\), then restoring web from web_0, which takes about as long as that snapshot did \(\d+\.\d s\)\. Do not kill lxc-snap meanwhile\.",
            stderr);
        Assert.False(File.Exists(marker));
        var listing = PublishedCli.Run(_sandbox.Cli("-l", "web")).Stdout;
        Assert.Contains("Provisioning 'provisioning': before, rolled back after", listing);
        Assert.DoesNotContain("succeeded", listing);
        Assert.Equal(["web_0"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    [Fact]
    public void Run_with_keep_prunes_to_the_newest_after_success_and_never_after_a_failure()
    {
        _sandbox.CreateBusybox("web");

        var first = PublishedCli.Run(_sandbox.Cli("run", "web", "--keep", "2", "--", "true"));
        var second = PublishedCli.Run(_sandbox.Cli("--json", "run", "web", "--keep", "2", "--", "true"));
        var failed = PublishedCli.Run(_sandbox.Cli("run", "web", "--keep", "2", "--", "false"));

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.DoesNotContain("Pruned", first.Stdout);
        var pruned = JsonContract.Validated(second.Stdout, "run --keep 2 --json").GetProperty("pruned").EnumerateArray().Select(e => e.GetString());
        Assert.Equal(["web_0", "web_1"], pruned);
        Assert.Equal(1, failed.ExitCode);
        Assert.DoesNotContain("Pruned", failed.Stdout);
        // The failed run's before snapshot stays: only a success prunes.
        Assert.Equal(["web_2", "web_3", "web_4"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        var third = PublishedCli.Run(_sandbox.Cli("run", "web", "--keep", "2", "--", "true"));
        Assert.Contains("Pruned web_2, web_3, web_4 of web, keeping the newest.", third.Stdout);
        Assert.Equal(["web_5", "web_6"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    [Fact]
    public void A_second_Ctrl_C_says_why_lxc_snap_waits_and_the_restore_still_finishes()
    {
        var web = _sandbox.CreateBusybox("web");
        var marker = Path.Combine(LxcSandbox.Layers(web).Writable, "half-done");
        // A command that takes a while to stop: the second SIGINT comes while lxc-snap waits for it.
        using var process = Shell.Start(PublishedCli.Path,
            _sandbox.Cli("run", "web", "--", "sh", "-c", $"echo started > '{marker}'; trap 'sleep 2; kill $!; exit 1' TERM; sleep 60 & wait"));
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(marker))
        {
            Assert.False(process.HasExited);
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the command never started");
            Thread.Sleep(20);
        }

        var pid = process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Shell.Check("kill", "-INT", pid);
        Thread.Sleep(500);
        Shell.Check("kill", "-INT", pid);
        // Both are a few lines: reading one to its end cannot block the other.
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000));

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("lxc-snap: interrupted: stopping sh (SIGTERM), then restoring web from web_0", stderr);
        Assert.Contains("lxc-snap: interrupted again: lxc-snap exits as soon as that is done, so that nothing is left half-done", stderr);
        Assert.Contains("restored web from web_0", stdout);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Prune_keeps_the_newest_and_spares_the_before_snapshot_of_an_open_transaction()
    {
        _sandbox.CreateBusybox("web");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("begin", "web")).ExitCode); // web_0, open
        for (var i = 0; i < 4; i++)
            Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("web")).ExitCode);   // web_1 .. web_4

        var dryRun = PublishedCli.Run(_sandbox.Cli("prune", "web", "--keep", "2", "--dry-run"));
        Assert.Equal(["web_0", "web_1", "web_2", "web_3", "web_4"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        var prune = PublishedCli.Run(_sandbox.Cli("prune", "web", "--keep", "2"));

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Contains("would destroy web_1", dryRun.Stdout);
        Assert.True(prune.ExitCode == 0, prune.ToString());
        Assert.Contains("kept web_0: the before snapshot of an open provisioning transaction", prune.Stdout);
        Assert.Equal(["web_0", "web_3", "web_4"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("end", "web", "--failure")).ExitCode);
    }

    [Fact]
    public void Prune_without_a_policy_is_a_usage_error()
    {
        var result = PublishedCli.Run(_sandbox.Cli("prune", "web"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("prune needs --keep N, --older-than DURATION, or both", result.Stderr);
    }

    public void Dispose() => _sandbox.Dispose();
}
