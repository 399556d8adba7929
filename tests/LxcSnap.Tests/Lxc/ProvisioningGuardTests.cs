using LxcSnap.Core;
using LxcSnap.Core.Provisioning;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>
/// The sequence of core calls the NUKE component (nuke/LxcSnap.Nuke) makes, against real LXC and
/// through the published lxc-snap as the component runs it: its Setup makes a guard from the
/// build's parameters and snapshots before; the user's provisioning targets run; its Cleanup makes
/// a new guard from the same parameters and ends the transaction with the result it judged from
/// the build's state. Each step reports <see cref="ProvisioningGuard.Summary"/>.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class ProvisioningGuardTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    /// <summary>What the component's Setup and Cleanup each do first: a guard from the build's parameters.</summary>
    private ProvisioningGuard GuardFromBuildParameters(string container, bool keepFailed = false) =>
        new(new Core.Client.LxcSnapProcessSteps(PublishedCli.Path, _sandbox.LxcPath, _sandbox.StorePath, _ => { }),
            container, label: "nuke-provision", keepFailed: keepFailed);

    [Fact]
    public void Setup_then_successful_provisioning_then_cleanup_keeps_an_after_snapshot_with_the_change()
    {
        _sandbox.CreateBusybox("base");
        var app = _sandbox.CloneOverlay("base", "app");

        var begun = GuardFromBuildParameters("app").SnapshotBefore();
        LxcSandbox.WriteFile(app, "/etc/app.conf", "provisioned by nuke");
        var ended = GuardFromBuildParameters("app").SnapshotAfterOrRestore(ProvisioningResult.Succeeded);

        Assert.Equal("before snapshot app_0", ProvisioningGuard.Summary(begun));
        Assert.Equal(ProvisioningOutcome.Succeeded, ended.Outcome);
        Assert.StartsWith("snapshots app_0 -> app_1 (", ProvisioningGuard.Summary(ended));
        Assert.Equal(["app_0", "app_1"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        Assert.Null(LxcSandbox.ReadFile(_sandbox.Snapshot("app_0"), "/etc/app.conf"));
        Assert.Equal("provisioned by nuke", LxcSandbox.ReadFile(_sandbox.Snapshot("app_1"), "/etc/app.conf"));
        Assert.Equal("provisioned by nuke", LxcSandbox.ReadFile(app, "/etc/app.conf"));
        Assert.Equal("nuke-provision", Assert.Single(new ProvisioningTransactions(_sandbox.Engine()).History("app")).Label);
    }

    [Fact]
    public void Setup_then_failing_provisioning_then_cleanup_restores_the_container()
    {
        var web = _sandbox.CreateBusybox("web");
        LxcSandbox.WriteFile(web, "/etc/keep.conf", "original");

        GuardFromBuildParameters("web").SnapshotBefore();
        LxcSandbox.WriteFile(web, "/srv/created-by-provisioning", "half-deployed");
        LxcSandbox.WriteFile(web, "/etc/keep.conf", "overwritten");
        var ended = GuardFromBuildParameters("web").SnapshotAfterOrRestore(ProvisioningResult.Failed);

        Assert.Equal(ProvisioningOutcome.RolledBack, ended.Outcome);
        Assert.Equal("restored to web_0", ProvisioningGuard.Summary(ended));
        Assert.Null(LxcSandbox.ReadFile(web, "/srv/created-by-provisioning"));
        Assert.Equal("original", LxcSandbox.ReadFile(web, "/etc/keep.conf"));
        Assert.Equal(["web_0"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    [Fact]
    public void A_running_container_restored_by_cleanup_runs_again_and_keep_failed_keeps_the_failed_state()
    {
        _sandbox.CreateBusybox("base");
        var app = _sandbox.CloneOverlay("base", "app");
        LxcSandbox.Start(app);

        GuardFromBuildParameters("app", keepFailed: true).SnapshotBefore();
        LxcSandbox.Attach(app, "echo junk > /root/created-by-provisioning; sync");
        var ended = GuardFromBuildParameters("app", keepFailed: true).SnapshotAfterOrRestore(ProvisioningResult.Failed);

        Assert.Equal("RUNNING", LxcSandbox.State(app));
        Assert.Equal("absent", LxcSandbox.Attach(app, "test -e /root/created-by-provisioning && echo present || echo absent").Trim());
        Assert.Equal("restored to app_0, failed state kept as app_1", ProvisioningGuard.Summary(ended));
        Assert.Equal("junk\n", LxcSandbox.ReadFile(_sandbox.Snapshot("app_1"), "/root/created-by-provisioning"));
    }

    [Fact]
    public void Cleanup_without_a_setup_that_began_a_transaction_changes_nothing_and_says_so()
    {
        var web = _sandbox.CreateBusybox("web");
        LxcSandbox.WriteFile(web, "/etc/state", "as it was");

        var error = Assert.Throws<LxcSnapException>(() => GuardFromBuildParameters("web").SnapshotAfterOrRestore(ProvisioningResult.Failed));

        Assert.Equal(LxcSnapError.TransactionNotFound, error.Error);
        Assert.Contains("no open provisioning transaction 'nuke-provision'", error.Message);
        Assert.Equal("as it was", LxcSandbox.ReadFile(web, "/etc/state"));
        Assert.Empty(LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    [Fact]
    public void A_guard_without_a_container_is_refused_before_anything_is_made()
    {
        var error = Assert.Throws<LxcSnapException>(() => new ProvisioningGuard(new ProvisioningTransactions(_sandbox.Engine()), " "));

        Assert.Equal(LxcSnapError.InvalidArgument, error.Error);
        Assert.Contains("no container given", error.Message);
    }

    [Fact]
    public void A_cancelled_build_restores_the_container_and_records_no_success()
    {
        var web = _sandbox.CreateBusybox("web");
        GuardFromBuildParameters("web").SnapshotBefore();
        LxcSandbox.WriteFile(web, "/srv/half-done", "interrupted");

        var ended = GuardFromBuildParameters("web").SnapshotAfterOrRestore(ProvisioningResult.Cancelled);

        Assert.Equal(ProvisioningOutcome.RolledBack, ended.Outcome);
        Assert.Null(LxcSandbox.ReadFile(web, "/srv/half-done"));
        Assert.DoesNotContain(new ProvisioningTransactions(_sandbox.Engine()).History("web"), r => r.Outcome == ProvisioningOutcome.Succeeded);
    }

    public void Dispose() => _sandbox.Dispose();
}
