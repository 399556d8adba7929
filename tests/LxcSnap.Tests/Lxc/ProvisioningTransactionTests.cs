using LxcSnap.Core;
using LxcSnap.Core.Provisioning;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>The core API of provisioning transactions against real LXC.</summary>
[Trait("Category", "Lxc")]
public sealed class ProvisioningTransactionTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    private ProvisioningTransactions Transactions() => new(_sandbox.Engine());

    [Fact]
    public void Success_keeps_a_before_without_and_an_after_with_provisionings_change()
    {
        _sandbox.CreateBusybox("base");
        var app = _sandbox.CloneOverlay("base", "app");

        var record = Transactions().Run("app", _ =>
        {
            LxcSandbox.WriteFile(app, "/etc/app.conf", "configured");
            return true;
        }, label: "configure");

        Assert.Equal(ProvisioningOutcome.Succeeded, record.Outcome);
        Assert.Equal(("app_0", "app_1"), (record.Before, record.After));
        Assert.Null(LxcSandbox.ReadFile(_sandbox.Snapshot("app_0"), "/etc/app.conf"));
        Assert.Equal("configured", LxcSandbox.ReadFile(_sandbox.Snapshot("app_1"), "/etc/app.conf"));
        Assert.Equal("configured", LxcSandbox.ReadFile(app, "/etc/app.conf"));
        Assert.Contains("before provisioning 'configure'", _sandbox.Engine().Store.Find(new("app", 0))!.Comment?.Text);
    }

    [Fact]
    public void Failure_undoes_created_and_deleted_files_and_a_running_container_runs_again()
    {
        _sandbox.CreateBusybox("base");
        var app = _sandbox.CloneOverlay("base", "app");
        LxcSandbox.Start(app);
        LxcSandbox.Attach(app, "echo original > /etc/keep.conf");

        void ProvisionAndFail()
        {
            using var scope = Transactions().BeginScope("app", "install");
            LxcSandbox.Attach(app, "echo junk > /root/created-by-provisioning; rm /etc/keep.conf /bin/vi; sync");
            throw new InvalidOperationException("provisioning step failed");
        }

        var failure = Assert.Throws<InvalidOperationException>(ProvisionAndFail);

        Assert.Equal("provisioning step failed", failure.Message);
        Assert.Equal("RUNNING", LxcSandbox.State(app));
        Assert.Equal("absent", LxcSandbox.Attach(app, "test -e /root/created-by-provisioning && echo present || echo absent").Trim());
        Assert.Equal("original", LxcSandbox.Attach(app, "cat /etc/keep.conf").Trim());
        Assert.Equal("present", LxcSandbox.Attach(app, "test -e /bin/vi && echo present || echo absent").Trim());
        var record = Assert.Single(Transactions().History("app"));
        Assert.Equal(ProvisioningOutcome.RolledBack, record.Outcome);
        Assert.NotNull(record.Duration);
    }

    [Fact]
    public void Keep_failed_snapshots_the_failed_state_before_restoring()
    {
        var web = _sandbox.CreateBusybox("web");
        var transactions = Transactions();
        transactions.Begin("web", "deploy");
        LxcSandbox.WriteFile(web, "/srv/broken", "half-deployed");

        var record = transactions.Fail("web", "deploy", keepFailed: true);

        Assert.Equal("web_1", record.FailedState);
        Assert.Equal("half-deployed", LxcSandbox.ReadFile(_sandbox.Snapshot("web_1"), "/srv/broken"));
        Assert.Null(LxcSandbox.ReadFile(web, "/srv/broken"));
    }

    [Fact]
    public void A_second_begin_is_refused_unless_it_replaces_the_open_transaction()
    {
        _sandbox.CreateBusybox("web");
        var transactions = Transactions();
        var first = transactions.Begin("web", "one");

        var refused = Assert.Throws<LxcSnapException>(() => transactions.Begin("web", "two"));

        Assert.Equal(LxcSnapError.TransactionConflict, refused.Error);
        Assert.Contains("open provisioning transaction 'one'", refused.Message);
        Assert.Equal(["web_0"], LxcSandbox.ListedByLxc(_sandbox.StorePath));

        var second = transactions.Begin("web", "two", replaceOpen: true);

        Assert.Equal(ProvisioningOutcome.Abandoned, transactions.History("web").Single(r => r.Id == first.Id).Outcome);
        Assert.Equal(second.Id, transactions.FindOpen("web", "two")!.Id);
        Assert.Null(transactions.FindOpen("web", "one"));
    }

    [Fact]
    public void Begin_recovering_rolls_back_what_an_interrupted_run_of_the_same_label_left_open()
    {
        var web = _sandbox.CreateBusybox("web");
        var transactions = Transactions();
        transactions.Begin("web", "nightly");
        LxcSandbox.WriteFile(web, "/srv/half", "left by a killed run");

        var (begun, rolledBack) = transactions.BeginRecovering("web", "nightly");

        Assert.Equal(ProvisioningOutcome.RolledBack, rolledBack!.Outcome);
        Assert.Equal("web_0", rolledBack.Before);
        Assert.Null(LxcSandbox.ReadFile(web, "/srv/half"));
        Assert.Equal(("web_1", ProvisioningOutcome.Open), (begun.Before, begun.Outcome));
        var otherLabel = Assert.Throws<LxcSnapException>(() => transactions.BeginRecovering("web", "other"));
        Assert.Equal(LxcSnapError.TransactionConflict, otherLabel.Error);
    }

    [Fact]
    public void A_restore_that_cannot_happen_leaves_the_container_as_it_was_and_names_the_before_snapshot()
    {
        var web = _sandbox.CreateBusybox("web");
        var transactions = Transactions();
        transactions.Begin("web");
        LxcSandbox.WriteFile(web, "/srv/state", "after provisioning");
        // An overlay clone now shares web's rootfs, so web cannot be replaced.
        _sandbox.CloneOverlay("web", "web_clone");

        var error = Assert.Throws<LxcSnapException>(() => transactions.Fail("web"));

        Assert.Equal(LxcSnapError.RollbackFailed, error.Error);
        Assert.Contains("web_0", error.Message);
        Assert.Contains("lxc-snap -P", error.Message);
        Assert.Equal("after provisioning", LxcSandbox.ReadFile(web, "/srv/state"));
        Assert.Equal(ProvisioningOutcome.RollbackFailed, transactions.History("web").Single().Outcome);
    }

    public void Dispose() => _sandbox.Dispose();
}
