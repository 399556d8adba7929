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
        var environment = new Dictionary<string, string> { ["LXCSNAP_CRASH_AT"] = "freeze.frozen", ["LXCSNAP_CRASH_SIGNAL"] = "STOP" };
        using var process = Shell.Start("setsid", [PublishedCli.Path, .. _sandbox.Cli("--allow-running", "app")], environment);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!IsStopped(process.Id))
        {
            if (process.HasExited)
                Assert.Fail("lxc-snap ended before it froze the container: " + process.StandardError.ReadToEnd());
            Assert.True(DateTime.UtcNow < deadline, "lxc-snap never froze the container");
            Thread.Sleep(10);
        }
        Assert.Equal("FROZEN", LxcSandbox.State(_app));
        if (killWatcher)
            Assert.Equal(0, Shell.Run("pkill", "-KILL", "-f", "lxc-snap-thaw-watcher " + _sandbox.LxcPath).ExitCode);
        Shell.Check("kill", "-KILL", "--", "-" + process.Id);
        process.WaitForExit();
        return process.ExitCode;
    }

    private static bool IsStopped(int pid) =>
        File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].StartsWith('T');

    private string WaitWhileFrozen()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (LxcSandbox.State(_app) == "FROZEN" && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        return LxcSandbox.State(_app);
    }

    public void Dispose()
    {
        Shell.Run("lxc-unfreeze", "-P", _sandbox.LxcPath, "-n", "app");
        _sandbox.Dispose();
    }
}
