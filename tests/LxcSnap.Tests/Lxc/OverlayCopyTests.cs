using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>
/// lxc-snap copies an overlay container's delta itself, as liblxc's clone would but without its
/// rsync: what the delta says about the lower layer (whiteouts for deleted files, opaque
/// directories for replaced ones) must survive every snapshot and restore, read the way the
/// kernel reads it; and LXC's records must say what the copy shares.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class OverlayCopyTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    [Fact]
    public void An_overlay_snapshot_and_its_restores_need_no_rsync()
    {
        _sandbox.CreateBusybox("base");
        var app = _sandbox.CloneOverlay("base", "app");
        LxcSandbox.WriteFile(app, "/etc/app.conf", "port=80");
        var withoutRsync = new Dictionary<string, string> { ["PATH"] = "/nonexistent" };

        var snapshot = PublishedCli.Run(_sandbox.Cli("app"), withoutRsync);
        LxcSandbox.WriteFile(app, "/etc/app.conf", "port=8080");
        var restore = PublishedCli.Run(_sandbox.Cli("-r", "app_0", "app_copy"), withoutRsync);
        var replace = PublishedCli.Run(_sandbox.Cli("-r", "app_0", "app", "--force"), withoutRsync);

        Assert.True(snapshot.ExitCode == 0, snapshot.ToString());
        Assert.Contains("overlay snapshot: delta copied (copy_file_range), lower layer shared", snapshot.Stdout);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.True(replace.ExitCode == 0, replace.ToString());
        Assert.Equal("port=80", LxcSandbox.ReadFile(_sandbox.Container("app_copy"), "/etc/app.conf"));
        Assert.Equal("port=80", LxcSandbox.ReadFile(app, "/etc/app.conf"));
        Assert.Equal(["app", "app_copy", "base"], LxcSandbox.ListedByLxc(_sandbox.LxcPath));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_file_deleted_from_the_lower_layer_stays_deleted_in_the_snapshot_and_in_every_restore(bool userXattr)
    {
        _sandbox.CreateBusybox("base");
        var app = _sandbox.CloneOverlay("base", "app");
        using (var view = OverlayView.Writable(app, userXattr))
        {
            // Through the kernel, as a running container would: a whiteout, and an opaque directory.
            view.Run("rm etc/shadow; rm -r etc/udhcpc; mkdir etc/udhcpc; echo replaced > etc/udhcpc/note");
        }
        var engine = _sandbox.Engine();

        engine.Snapshot("app");
        var copy = engine.Restore("app_0", "app_copy").Container;
        LxcSandbox.WriteFile(app, "/etc/udhcpc/later", "written after the snapshot");
        engine.Restore("app_0", "app", force: true);

        foreach (var container in new[] { _sandbox.Snapshot("app_0"), copy, app })
        {
            using var view = OverlayView.ReadOnly(container, userXattr);
            Assert.False(File.Exists(view["etc/shadow"]), $"{container}: etc/shadow is back");
            Assert.Equal(["note"], Directory.EnumerateFileSystemEntries(view["etc/udhcpc"]).Select(Path.GetFileName));
            Assert.Equal("replaced\n", File.ReadAllText(view["etc/udhcpc/note"]));
            Assert.True(File.Exists(view["etc/passwd"]), $"{container}: the lower layer is not seen through");
        }
    }

    [Fact]
    public void An_overlay_snapshot_starts_with_LXC_and_sees_what_the_container_saw()
    {
        _sandbox.CreateBusybox("base");
        var app = _sandbox.CloneOverlay("base", "app");
        using (var view = OverlayView.Writable(app))
            view.Run("rm etc/shadow; mkdir -p srv; echo v1 > srv/index.html");
        _sandbox.Engine().Snapshot("app");
        var snapshot = _sandbox.Snapshot("app_0");

        LxcSandbox.Start(snapshot);
        var seen = LxcSandbox.Attach(snapshot, "cat /srv/index.html; test -e /etc/shadow && echo shadow; hostname");
        LxcSandbox.Stop(snapshot);

        Assert.Equal("v1\napp\n", seen);
    }

    [Fact]
    public void An_overlay_copy_is_recorded_where_LXC_looks_and_its_lower_layer_stays_protected()
    {
        var baseContainer = _sandbox.CreateBusybox("base");
        _sandbox.CloneOverlay("base", "app");
        var engine = _sandbox.Engine();
        engine.Snapshot("app");
        engine.Restore("app_0", "app_copy");

        // Each copy depends on base alone, and base lists each of them.
        Assert.Equal($"{_sandbox.LxcPath}\nbase\n", File.ReadAllText(Path.Combine(_sandbox.Snapshot("app_0").Directory, "lxc_rdepends")));
        Assert.Equal($"{_sandbox.LxcPath}\nbase\n", File.ReadAllText(Path.Combine(_sandbox.Container("app_copy").Directory, "lxc_rdepends")));
        Assert.Equal([$"{_sandbox.LxcPath}/app", $"{_sandbox.LxcPath}/app_copy", $"{_sandbox.StorePath}/app_0"], Pairs(Path.Combine(baseContainer.Directory, "lxc_snapshots")));
        Assert.NotEqual(0, Shell.Run("lxc-destroy", "-P", _sandbox.LxcPath, "-n", "base").ExitCode);
        // Every copy is independent of the others: each can go, in any order.
        Shell.Check("lxc-destroy", "-P", _sandbox.LxcPath, "-n", "app");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("-d", "app_0")).ExitCode);
        Shell.Check("lxc-destroy", "-P", _sandbox.LxcPath, "-n", "app_copy");
        Shell.Check("lxc-destroy", "-P", _sandbox.LxcPath, "-n", "base");
        Assert.Empty(LxcSandbox.ListedByLxc(_sandbox.LxcPath));
    }

    [Fact]
    public void A_restore_under_a_new_name_writes_the_new_hostname_into_the_copy_only()
    {
        var baseContainer = _sandbox.CreateBusybox("base");
        LxcSandbox.WriteFile(baseContainer, "/etc/hostname", "base");
        var app = _sandbox.CloneOverlay("base", "app"); // lxc-copy wrote "app" into app's delta
        var engine = _sandbox.Engine();
        engine.Snapshot("app");
        File.Delete(Path.Combine(LxcSandbox.Layers(app).Writable, "etc", "hostname"));
        engine.Snapshot("app"); // app_1 sees base's hostname through its delta

        var fromDelta = engine.Restore("app_0", "copy0").Container;
        var fromLower = engine.Restore("app_1", "copy1").Container;

        foreach (var copy in new[] { fromDelta, fromLower })
        {
            using (var view = OverlayView.ReadOnly(copy))
                Assert.Equal(copy.Name, File.ReadAllText(view["etc/hostname"]));
            Assert.Contains($"lxc.uts.name = {copy.Name}", File.ReadAllText(copy.ConfigFile));
        }
        Assert.Equal("app", LxcSandbox.ReadFile(_sandbox.Snapshot("app_0"), "/etc/hostname"));
        Assert.Equal("base", LxcSandbox.ReadFile(_sandbox.Snapshot("app_1"), "/etc/hostname"));
        Assert.Equal("base", LxcSandbox.ReadFile(app, "/etc/hostname"));
        Assert.Equal("base", LxcSandbox.ReadFile(baseContainer, "/etc/hostname"));
    }

    [Fact]
    public void A_snapshot_of_a_container_whose_lower_layer_is_its_own_rootfs_keeps_that_container_from_being_destroyed()
    {
        // lxc-create -B overlay: the lower layer is the container's own rootfs, which its
        // snapshots share.
        Shell.Check("lxc-create", "-P", _sandbox.LxcPath, "-t", "busybox", "-n", "web", "-B", "overlay");
        var web = _sandbox.Container("web");
        LxcSandbox.WriteFile(web, "/srv/index.html", "v1");
        var engine = _sandbox.Engine();
        engine.Snapshot("web");

        var destroy = Shell.Run("lxc-destroy", "-P", _sandbox.LxcPath, "-n", "web");

        Assert.NotEqual(0, destroy.ExitCode);
        var snapshot = _sandbox.Snapshot("web_0");
        Assert.Equal(LxcSandbox.Layers(web).Lower, LxcSandbox.Layers(snapshot).Lower);
        Assert.Equal("v1", LxcSandbox.ReadFile(snapshot, "/srv/index.html"));
        Assert.True(File.Exists(Path.Combine(LxcSandbox.Layers(snapshot).Lower!, "bin", "busybox")));

        engine.Destroy("web_0");
        Shell.Check("lxc-destroy", "-P", _sandbox.LxcPath, "-n", "web");
        Assert.Empty(LxcSandbox.ListedByLxc(_sandbox.LxcPath));
    }

    /// <summary>An lxc_snapshots or lxc_rdepends file as sorted LXCPATH/NAME entries.</summary>
    private static IEnumerable<string> Pairs(string file)
    {
        var lines = File.ReadAllLines(file);
        return Enumerable.Range(0, lines.Length / 2).Select(i => $"{lines[2 * i]}/{lines[2 * i + 1]}").Order(StringComparer.Ordinal);
    }

    public void Dispose() => _sandbox.Dispose();
}
