using LxcSnap.Core;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>
/// LXC records which containers share storage and refuses to destroy one that others need. We
/// keep those records true: no false dependencies (which would make containers and snapshots
/// undeletable), and real ones respected.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class DependencyTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    [Fact]
    public void The_original_can_be_destroyed_with_LXC_while_it_has_snapshots()
    {
        _sandbox.CreateBusybox("base");
        _sandbox.CloneOverlay("base", "mysql");
        _sandbox.Engine().Snapshot("mysql");

        var destroy = Shell.Run("lxc-destroy", "-P", _sandbox.LxcPath, "-n", "mysql");

        Assert.True(destroy.ExitCode == 0, destroy.ToString());
        Assert.Equal(["base"], LxcSandbox.ListedByLxc(_sandbox.LxcPath));
        Assert.Equal(["mysql_0"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    [Fact]
    public void A_restored_snapshot_can_still_be_destroyed()
    {
        _sandbox.CreateBusybox("base");
        _sandbox.CloneOverlay("base", "mysql");
        var engine = _sandbox.Engine();
        engine.Snapshot("mysql");
        engine.Restore("mysql_0", "mysql_tmp");

        var destroyed = PublishedCli.Run(_sandbox.Cli("-d", "mysql_0"));

        Assert.True(destroyed.ExitCode == 0, destroyed.ToString());
        Assert.Empty(engine.Store.Snapshots("mysql"));
        Assert.Equal(["base", "mysql", "mysql_tmp"], LxcSandbox.ListedByLxc(_sandbox.LxcPath));
    }

    [Fact]
    public void The_shared_lower_layer_stays_protected_while_snapshots_use_it()
    {
        _sandbox.CreateBusybox("base");
        _sandbox.CloneOverlay("base", "mysql");
        _sandbox.Engine().Snapshot("mysql");
        Shell.Check("lxc-destroy", "-P", _sandbox.LxcPath, "-n", "mysql");

        var destroyBase = Shell.Run("lxc-destroy", "-P", _sandbox.LxcPath, "-n", "base");

        Assert.NotEqual(0, destroyBase.ExitCode);
        Assert.Contains("base", LxcSandbox.ListedByLxc(_sandbox.LxcPath));
    }

    [Fact]
    public void Destroying_a_snapshot_another_container_depends_on_is_refused_and_names_it()
    {
        _sandbox.CreateBusybox("web");
        _sandbox.Engine().Snapshot("web");
        // An overlay clone whose lower layer is the snapshot's own rootfs really depends on it.
        Shell.Check("lxc-copy", "-P", _sandbox.StorePath, "-n", "web_0", "-N", "web_child", "-p", _sandbox.LxcPath, "-s", "-B", "overlay");
        var before = _sandbox.Fingerprint();

        var refused = PublishedCli.Run(_sandbox.Cli("-d", "web_0"));

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("web_0", refused.Stderr);
        Assert.Contains("web_child", refused.Stderr);
        Assert.Empty(before.Differences(_sandbox.Fingerprint()));

        var engine = _sandbox.Engine();
        var error = Assert.Throws<LxcSnapException>(() => engine.Destroy("web_0"));
        Assert.Equal(LxcSnapError.SnapshotInUse, error.Error);
    }

    public void Dispose() => _sandbox.Dispose();
}
