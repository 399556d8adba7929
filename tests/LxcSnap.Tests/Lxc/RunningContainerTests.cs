using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>A running container is copied only when asked, frozen while copied, and always left running.</summary>
[Trait("Category", "Lxc")]
public sealed class RunningContainerTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    [Fact]
    public void A_running_container_is_refused_without_allow_running()
    {
        var web = _sandbox.CreateBusybox("web");
        LxcSandbox.Start(web);
        var before = _sandbox.Fingerprint(running: web);

        var result = PublishedCli.Run(_sandbox.Cli("web"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("container 'web' is running", result.Stderr);
        Assert.Contains("--allow-running", result.Stderr);
        Assert.Equal("RUNNING", LxcSandbox.State(web));
        Assert.Empty(before.Differences(_sandbox.Fingerprint(running: web)));
    }

    [Fact]
    public void Allow_running_snapshots_what_the_running_container_wrote_and_leaves_it_running()
    {
        _sandbox.CreateBusybox("base");
        var app = _sandbox.CloneOverlay("base", "app");
        LxcSandbox.Start(app);
        LxcSandbox.Attach(app, "echo written-while-running > /root/state; sync");

        var result = PublishedCli.Run(_sandbox.Cli("--allow-running", "app"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("RUNNING", LxcSandbox.State(app));
        Assert.Equal("written-while-running\n", LxcSandbox.ReadFile(_sandbox.Snapshot("app_0"), "/root/state"));
        Assert.Equal("still-alive", LxcSandbox.Attach(app, "echo still-alive").Trim());
    }

    public void Dispose() => _sandbox.Dispose();
}
