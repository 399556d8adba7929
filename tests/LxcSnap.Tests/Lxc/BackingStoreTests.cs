using LxcSnap.Core.Containers;
using LxcSnap.Core.Store;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>How each backing store is copied, checked on the files in the rootfs.</summary>
[Trait("Category", "Lxc")]
public sealed class BackingStoreTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    [Fact]
    public void A_dir_container_is_copied_in_full_so_its_snapshot_keeps_its_content_when_the_original_changes()
    {
        var web = _sandbox.CreateBusybox("web");
        LxcSandbox.WriteFile(web, "/srv/index.html", "v1");

        var result = _sandbox.Engine().Snapshot("web");

        Assert.Equal("web_0", result.Snapshot.Name.ToString());
        Assert.Equal(BackingStoreKind.Dir, result.Snapshot.Backing);
        var snapshot = _sandbox.Snapshot("web_0");
        var (writable, lower) = LxcSandbox.Layers(snapshot);
        Assert.Null(lower); // never an overlay on the live rootfs of the original
        Assert.StartsWith(snapshot.Directory + "/", writable);

        LxcSandbox.WriteFile(web, "/srv/index.html", "v2");
        File.Delete(Path.Combine(LxcSandbox.Layers(web).Writable, "bin", "busybox"));
        Assert.Equal("v1", LxcSandbox.ReadFile(snapshot, "/srv/index.html"));
        Assert.True(File.Exists(Path.Combine(writable, "bin", "busybox")));
    }

    [Fact]
    public void An_overlay_container_snapshot_copies_the_delta_and_shares_the_lower_layer()
    {
        _sandbox.CreateBusybox("base");
        var app = _sandbox.CloneOverlay("base", "app");
        LxcSandbox.WriteFile(app, "/etc/app.conf", "port=80");

        var result = _sandbox.Engine().Snapshot("app", comment: SnapshotComment.FromText("first config"));

        Assert.Equal(BackingStoreKind.Overlay, result.Snapshot.Backing);
        Assert.Equal("first config", result.Snapshot.Comment?.Text);
        var snapshot = _sandbox.Snapshot("app_0");
        var (delta, lower) = LxcSandbox.Layers(snapshot);
        Assert.Equal(LxcSandbox.Layers(app).Lower, lower);
        Assert.StartsWith(snapshot.Directory + "/", delta);

        LxcSandbox.WriteFile(app, "/etc/app.conf", "port=8080");
        Assert.Equal("port=80", LxcSandbox.ReadFile(snapshot, "/etc/app.conf"));
        Assert.Equal("port=8080", LxcSandbox.ReadFile(app, "/etc/app.conf"));
    }

    [Fact]
    public void A_dir_snapshot_restores_to_a_new_dir_container_with_the_snapshot_content()
    {
        var web = _sandbox.CreateBusybox("web");
        LxcSandbox.WriteFile(web, "/srv/index.html", "v1");
        var engine = _sandbox.Engine();
        engine.Snapshot("web");
        LxcSandbox.WriteFile(web, "/srv/index.html", "v2");

        var restored = engine.Restore("web_0", "web_old");

        Assert.False(restored.Replaced);
        Assert.Equal("v1", LxcSandbox.ReadFile(restored.Container, "/srv/index.html"));
        Assert.Null(LxcSandbox.Layers(restored.Container).Lower);
        Assert.Contains("lxc.uts.name = web_old", File.ReadAllText(restored.Container.ConfigFile));
        Assert.Equal("v2", LxcSandbox.ReadFile(web, "/srv/index.html"));
    }

    [Fact]
    public void Versions_count_up_and_are_never_reused_after_a_snapshot_is_destroyed()
    {
        _sandbox.CreateBusybox("web");
        var engine = _sandbox.Engine();
        engine.Snapshot("web");
        engine.Snapshot("web");
        engine.Destroy("web_1");

        var next = engine.Snapshot("web");

        Assert.Equal("web_2", next.Snapshot.Name.ToString());
        Assert.Equal([0, 2], engine.Store.Snapshots("web").Select(s => s.Name.Version));
        Assert.Equal(["web_0", "web_2"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    public void Dispose() => _sandbox.Dispose();
}
