using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>
/// A running container frozen for a copy is thawed whatever happens to lxc-snap: by the watcher
/// when lxc-snap is killed, by the next run when the watcher is gone too. A container its owner
/// froze is copied as it is and left frozen.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class FreezeTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();
    private readonly Core.Containers.ContainerRef _app;

    public FreezeTests()
    {
        _sandbox.CreateBusybox("base");
        _app = _sandbox.CloneOverlay("base", "app");
        LxcSandbox.Start(_app);
    }

    [Fact]
    public void Killed_while_the_container_is_frozen_lxc_snap_leaves_it_running()
    {
        var killed = RunKilledWhileFrozen();

        Assert.Equal(128 + 9, killed);
        Assert.Equal("RUNNING", WaitWhileFrozen());
        Assert.Equal("alive", LxcSandbox.Attach(_app, "echo alive").Trim());
    }

    /// <summary>
    /// liblxc's freeze tells the container's monitor "FREEZING" before it writes the freezer; a
    /// kill between the two left LXC reporting FREEZING for good (found by the long kill sweep).
    /// That window is a fraction of a millisecond, so the kills are swept over the first few
    /// milliseconds after lxc-snap, stopped just before the freeze, is let go.
    /// </summary>
    [Fact]
    public void Killed_at_any_instant_of_the_freeze_lxc_snap_leaves_the_container_running_as_LXC_reports_it()
    {
        const int rounds = 40;
        for (var round = 0; round < rounds; round++)
        {
            var delay = TimeSpan.FromMilliseconds(round * 0.1);
            using var process = StartStoppedAt("freeze.watched");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Core.Interop.LibcNative.kill(process.Id, SigCont);
            while (clock.Elapsed < delay)
                Thread.SpinWait(10);
            Core.Interop.LibcNative.kill(-process.Id, SigKill);
            process.WaitForExit();

            var state = WaitWhile("FROZEN", "FREEZING");
            Assert.True(state == "RUNNING", $"killed {delay.TotalMilliseconds:0.0} ms into the freeze (round {round + 1} of {rounds}): LXC reports {state}");
        }
        Assert.Equal("alive", LxcSandbox.Attach(_app, "echo alive").Trim());
    }

    [Fact]
    public void When_the_watcher_dies_too_the_next_run_thaws_the_container_and_says_so()
    {
        // Stop the watcher's session first, as a kill of every lxc-snap process on the host would.
        var killed = RunKilledWhileFrozen(killWatcher: true);
        Assert.Equal(128 + 9, killed);
        Assert.Equal("FROZEN", LxcSandbox.State(_app));

        var next = PublishedCli.Run(_sandbox.Cli("--allow-running", "app"));

        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Contains($"thawed 'app' in {_sandbox.LxcPath}, which an interrupted lxc-snap had left frozen", next.Stderr);
        Assert.Equal("RUNNING", LxcSandbox.State(_app));
        Assert.Equal("alive", LxcSandbox.Attach(_app, "echo alive").Trim());
    }

    [Fact]
    public void A_container_its_owner_froze_is_snapshotted_and_stays_frozen()
    {
        Shell.Check("lxc-freeze", "-P", _sandbox.LxcPath, "-n", "app");

        var result = PublishedCli.Run(_sandbox.Cli("--allow-running", "app"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["app_0"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        Assert.Equal("FROZEN", LxcSandbox.State(_app));
        Shell.Check("lxc-unfreeze", "-P", _sandbox.LxcPath, "-n", "app");
    }

    /// <summary>lxc-snap --allow-running killed (with its process group) right after it froze the container.</summary>
    /// <param name="killWatcher">Kill its watcher first, as a kill of every process on the host (or a reset) would.</param>
    private int RunKilledWhileFrozen(bool killWatcher = false)
    {
        using var process = StartStoppedAt("freeze.frozen");
        Assert.Equal("FROZEN", LxcSandbox.State(_app));
        if (killWatcher)
            Assert.Equal(0, Shell.Run("pkill", "-KILL", "-f", "lxc-snap-thaw-watcher " + _sandbox.LxcPath).ExitCode);
        Shell.Check("kill", "-KILL", "--", "-" + process.Id);
        process.WaitForExit();
        return process.ExitCode;
    }

    private const int SigKill = 9;
    private const int SigCont = 18;

    /// <summary>lxc-snap --allow-running, in a session of its own, stopped (SIGSTOP) at crash point <paramref name="point"/>.</summary>
    private System.Diagnostics.Process StartStoppedAt(string point)
    {
        var environment = new Dictionary<string, string> { ["LXCSNAP_CRASH_AT"] = point, ["LXCSNAP_CRASH_SIGNAL"] = "STOP" };
        var process = Shell.Start("setsid", [PublishedCli.Path, .. _sandbox.Cli("--allow-running", "app")], environment);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!IsStopped(process.Id))
        {
            if (process.HasExited)
                Assert.Fail($"lxc-snap ended before {point}: " + process.StandardError.ReadToEnd());
            Assert.True(DateTime.UtcNow < deadline, $"lxc-snap never reached {point}");
            Thread.Sleep(10);
        }
        return process;
    }

    private static bool IsStopped(int pid) =>
        File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].StartsWith('T');

    private string WaitWhileFrozen() => WaitWhile("FROZEN");

    /// <summary>The container's state once it is none of <paramref name="states"/>, or after 10 s: the watcher thaws within milliseconds.</summary>
    private string WaitWhile(params string[] states)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (states.Contains(LxcSandbox.State(_app)) && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        return LxcSandbox.State(_app);
    }

    public void Dispose()
    {
        Shell.Run("lxc-unfreeze", "-P", _sandbox.LxcPath, "-n", "app");
        _sandbox.Dispose();
    }
}
