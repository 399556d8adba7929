using LxcSnap.Tasks;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.MSBuild;

/// <summary>
/// The guarded-provisioning task under a recording build engine whose "targets" change a real
/// container: before/after snapshots on success, restore on failure and on cancellation, and
/// recovery from a build that died during provisioning.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class GuardedProvisioningTaskTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();
    private readonly RecordingBuildEngine _engine = new();

    private LxcGuardedProvisioning Guard(string container = "web") => new()
    {
        BuildEngine = _engine,
        LxcPath = _sandbox.LxcPath,
        CliPath = PublishedCli.Path,
        Project = "/src/provision.proj",
        Container = container,
        ProvisioningTargets = ["InstallPackages", "Deploy"],
        Label = "deploy",
    };

    [Fact]
    public void Success_builds_the_targets_between_a_before_and_an_after_snapshot()
    {
        var web = _sandbox.CreateBusybox("web");
        _engine.BuildTargets = _ =>
        {
            LxcSandbox.WriteFile(web, "/srv/app", "deployed");
            return true;
        };
        var guard = Guard();

        Assert.True(guard.Execute(), string.Join("\n", _engine.Errors.Select(e => e.Message)));

        Assert.Equal(["InstallPackages", "Deploy"], Assert.Single(_engine.BuiltTargets));
        Assert.Equal(("web_0", "web_1"), (guard.BeforeSnapshot, guard.AfterSnapshot));
        Assert.Null(LxcSandbox.ReadFile(_sandbox.Snapshot("web_0"), "/srv/app"));
        Assert.Equal("deployed", LxcSandbox.ReadFile(_sandbox.Snapshot("web_1"), "/srv/app"));
        Assert.Null(guard.RestoredFrom);
    }

    [Fact]
    public void A_failing_target_restores_the_container_and_fails_with_LXS009()
    {
        var web = _sandbox.CreateBusybox("web");
        _engine.BuildTargets = _ =>
        {
            LxcSandbox.WriteFile(web, "/srv/app", "half-deployed");
            return false;
        };
        var guard = Guard();
        guard.KeepFailed = "true";

        Assert.False(guard.Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("LXS009", error.Code);
        Assert.Contains("container 'web' was restored to its snapshot web_0", error.Message);
        Assert.Contains("failed state is kept as snapshot web_1", error.Message);
        Assert.Equal("web_0", guard.RestoredFrom);
        Assert.Null(LxcSandbox.ReadFile(web, "/srv/app"));
        Assert.Equal("half-deployed", LxcSandbox.ReadFile(_sandbox.Snapshot("web_1"), "/srv/app"));
    }

    [Fact]
    public void Cancellation_during_provisioning_still_restores_with_LXS013()
    {
        var web = _sandbox.CreateBusybox("web");
        var guard = Guard();
        _engine.BuildTargets = _ =>
        {
            LxcSandbox.WriteFile(web, "/srv/app", "interrupted");
            guard.Cancel(); // Ctrl+C: MSBuild cancels the task, and the targets stop
            return false;
        };

        Assert.False(guard.Execute());

        Assert.Equal(["LXS013"], _engine.ErrorCodes);
        Assert.Contains("was cancelled", _engine.Errors[0].Message);
        Assert.Null(LxcSandbox.ReadFile(web, "/srv/app"));
    }

    [Fact]
    public void A_transaction_left_open_by_a_killed_build_is_rolled_back_first_with_a_warning()
    {
        var web = _sandbox.CreateBusybox("web");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("begin", "web", "--label", "deploy")).ExitCode);
        LxcSandbox.WriteFile(web, "/srv/app", "left by the killed build");

        var guard = Guard();
        Assert.True(guard.Execute(), string.Join("\n", _engine.Errors.Select(e => e.Message)));

        var warning = Assert.Single(_engine.Warnings);
        Assert.Equal("LXS101", warning.Code);
        Assert.Contains("restored to web_0", warning.Message);
        Assert.Null(LxcSandbox.ReadFile(web, "/srv/app"));
        Assert.Equal("web_1", guard.BeforeSnapshot);
    }

    [Fact]
    public void An_unknown_container_is_LXS002_and_no_target_runs()
    {
        Assert.False(Guard("nothere").Execute());

        Assert.Equal(["LXS002"], _engine.ErrorCodes);
        Assert.Empty(_engine.BuiltTargets);
        Assert.False(Directory.Exists(_sandbox.StorePath) && Directory.EnumerateDirectories(_sandbox.StorePath).Any(d => !Path.GetFileName(d).StartsWith('.')));
    }

    [Fact]
    public void Provisioning_targets_that_are_only_separators_are_LXS001_and_nothing_is_snapshotted()
    {
        _sandbox.CreateBusybox("web");
        var guard = Guard();
        guard.ProvisioningTargets = [" ", ""];

        Assert.False(guard.Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("LXS001", error.Code);
        Assert.Contains("no provisioning targets to guard: set LxcSnapProvisioningTargets", error.Message);
        Assert.Empty(_engine.BuiltTargets);
        Assert.False(Directory.Exists(_sandbox.StorePath));
    }

    public void Dispose() => _sandbox.Dispose();
}
