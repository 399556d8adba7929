using LxcSnap.Core.Comparison;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>
/// lxc-snap diff on real busybox containers, overlay, dir and btrfs: the same known changes, made
/// with the usual tools (through the kernel's overlay for an overlay container, as a running one
/// would make them), are named path by path; two overlays over one lower layer are compared by
/// their deltas, and that agrees with a walk of both and with the kernel's own mounted views.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class DiffTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    /// <summary>One change of every kind diff names, run in the root filesystem (its working directory).</summary>
    private const string KnownChanges = """
        echo added > root/added
        rm etc/shadow
        echo more >> etc/passwd
        sed -i 'y/abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ/' etc/init.d/rcS
        touch -m -d '2001-02-03 04:05:06' bin/busybox
        chmod 600 etc/group
        setfattr -n user.note -v x etc/inittab
        ln -sfn /bin/busybox bin/cat
        rm etc/fstab; mkdir etc/fstab; echo inner > etc/fstab/inner
        rm -r etc/udhcpc; mkdir -m 644 etc/udhcpc; echo note > etc/udhcpc/note
        """;

    /// <summary>
    /// What <see cref="KnownChanges"/> leaves, sorted: rcS keeps its size (its bytes tell it apart),
    /// busybox only its mtime (its bytes are equal: not a change), the symlink its own metadata.
    /// </summary>
    private const string Expected = """
        m	bin/cat
        T	etc/fstab
        A	etc/fstab/inner
        m	etc/group
        M	etc/init.d/rcS
        m	etc/inittab
        M	etc/passwd
        D	etc/shadow
        D	etc/udhcpc/default.script
        A	etc/udhcpc/note
        A	root/added

        """;

    private static void ApplyKnownChanges(string rootfs) => Shell.Check("sh", "-euc", "cd \"$1\"; " + KnownChanges, "sh", rootfs);

    [Fact]
    public void Two_overlay_snapshots_are_compared_by_their_deltas_and_every_kind_of_change_is_named()
    {
        _sandbox.CreateBusybox("base");
        var app = _sandbox.CloneOverlay("base", "app");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("app")).ExitCode);
        using (var view = OverlayView.Writable(app))
            view.Run(KnownChanges);
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("app")).ExitCode);

        var snapshots = PublishedCli.Run(_sandbox.Cli("diff", "app_0", "app_1"));
        var container = PublishedCli.Run(_sandbox.Cli("diff", "app_0", "--stat"));
        var json = PublishedCli.Run(_sandbox.Cli("diff", "app_0", "app_1", "--json"));

        Assert.Equal((0, Expected, ""), (snapshots.ExitCode, snapshots.Stdout, snapshots.Stderr));
        Assert.Equal((0, Expected + "11 paths differ: 3 added, 2 deleted, 2 modified, 1 type changed, 3 metadata only\n"), (container.ExitCode, container.Stdout));
        var document = JsonContract.Validated(json.Stdout, "diff --json");
        Assert.Equal("overlayDeltas", document.GetProperty("method").GetString());
        Assert.False(document.GetProperty("identical").GetBoolean());
        var records = document.GetProperty("changes").EnumerateArray()
            .Select(c => $"{c.GetProperty("status").GetString()}\t{c.GetProperty("path").GetString()}\n").ToList();
        Assert.Equal(Expected, string.Concat(records));
        var inittab = document.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("path").GetString() == "etc/inittab");
        Assert.Equal("metadataChanged", inittab.GetProperty("change").GetString());
        Assert.Equal(["extendedAttributes"], inittab.GetProperty("metadata").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(11, document.GetProperty("totals").GetProperty("changed").GetInt32());
    }

    [Fact]
    public void The_delta_comparison_agrees_with_a_walk_of_both_and_with_the_kernels_mounted_views()
    {
        _sandbox.CreateBusybox("base");
        var app = _sandbox.CloneOverlay("base", "app");
        var engine = _sandbox.Engine();
        engine.Snapshot("app");
        using (var view = OverlayView.Writable(app))
            view.Run(KnownChanges);
        engine.Snapshot("app");
        var (before, after) = (Tree(_sandbox.Snapshot("app_0")), Tree(_sandbox.Snapshot("app_1")));

        var byDeltas = TreeComparer.Compare(before, after);
        var byWalk = TreeComparer.Compare(before, after, useSharedLayers: false);
        List<TreeChange> byKernel;
        using (var mountedBefore = OverlayView.ReadOnly(_sandbox.Snapshot("app_0")))
        using (var mountedAfter = OverlayView.ReadOnly(_sandbox.Snapshot("app_1")))
            byKernel = TreeComparer.Compare(LayeredTree.OfDirectory(mountedBefore.Root), LayeredTree.OfDirectory(mountedAfter.Root));

        Assert.True(before.SharesLowerLayersWith(after));
        Assert.Equal(Expected, string.Concat(byDeltas.Select(c => $"{Cli.DiffText.Mark(c.Kind)}\t{c.Path}\n")));
        Assert.Equal(byDeltas, byWalk);
        Assert.Equal(byDeltas, byKernel);
    }

    private static LayeredTree Tree(Core.Containers.ContainerRef overlay)
    {
        var (delta, lower) = LxcSandbox.Layers(overlay);
        return LayeredTree.OfOverlay(delta, [lower!]);
    }

    [Fact]
    public void A_dir_container_is_compared_by_a_tree_walk_with_its_snapshot()
    {
        var web = _sandbox.CreateBusybox("web");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("web")).ExitCode);
        ApplyKnownChanges(LxcSandbox.Layers(web).Writable);

        var diff = PublishedCli.Run(_sandbox.Cli("diff", "web_0", "web", "--exit-code"));
        var json = JsonContract.Validated(PublishedCli.Run(_sandbox.Cli("diff", "web_0", "--json")).Stdout, "diff --json");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("web")).ExitCode);
        var same = PublishedCli.Run(_sandbox.Cli("diff", "web_1", "--exit-code", "--stat"));

        Assert.Equal((1, Expected, ""), (diff.ExitCode, diff.Stdout, diff.Stderr));
        Assert.Equal("treeWalk", json.GetProperty("method").GetString());
        Assert.Equal(("snapshot", "container"), (json.GetProperty("from").GetProperty("kind").GetString(), json.GetProperty("to").GetProperty("kind").GetString()));
        Assert.Equal((0, "0 paths differ: 0 added, 0 deleted, 0 modified, 0 type changed, 0 metadata only\n"), (same.ExitCode, same.Stdout));
    }

    [Fact]
    public void A_btrfs_subvolume_is_compared_with_its_native_snapshot()
    {
        using var btrfs = LoopFileSystem.Btrfs();
        using var sandbox = LxcSandbox.CreateUnder(btrfs.MountPoint);
        var web = sandbox.CreateBusybox("web", "btrfs");
        Assert.Equal(0, PublishedCli.Run(sandbox.Cli("web")).ExitCode);
        ApplyKnownChanges(LxcSandbox.Layers(web).Writable);

        var diff = PublishedCli.Run(sandbox.Cli("diff", "web_0"));

        Assert.Equal((0, Expected, ""), (diff.ExitCode, diff.Stdout, diff.Stderr));
    }

    [Fact]
    public void A_running_container_is_compared_without_being_frozen_and_the_note_says_it_may_change()
    {
        _sandbox.CreateBusybox("base");
        var app = _sandbox.CloneOverlay("base", "app");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("app")).ExitCode);
        LxcSandbox.Start(app);
        LxcSandbox.Attach(app, "echo inside > /root/written-inside; sync");

        var diff = PublishedCli.Run(_sandbox.Cli("diff", "app_0"));

        Assert.Equal(0, diff.ExitCode);
        Assert.Contains("A\troot/written-inside\n", diff.Stdout);
        Assert.Equal("lxc-snap: app is running: it may change while it is compared, and is compared as it is read.\n", diff.Stderr);
        Assert.Equal("RUNNING", LxcSandbox.State(app));
    }

    [Fact]
    public void What_cannot_be_compared_is_refused_in_the_commands_words()
    {
        _sandbox.CreateBusybox("web");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("web")).ExitCode);
        var before = _sandbox.Fingerprint();

        foreach (var (arguments, exitCode, message) in new (string[], int, string)[]
                 {
                     ([], 2, "lxc-snap: diff needs the snapshot to compare: lxc-snap diff NAME_N [NAME_M|CONTAINER] [--stat] [--exit-code]."),
                     (["web_0", "web", "web_0"], 2, "lxc-snap: diff compares two things, got 3: web_0 web web_0."),
                     (["web"], 2, "lxc-snap: 'web' is not a snapshot name (expected NAME_N, for example web_3)"),
                     (["web_9"], 1, $"lxc-snap: no snapshot 'web_9' in {_sandbox.StorePath}"),
                     (["web_0", "web_7"], 1, $"lxc-snap: no snapshot 'web_7' in {_sandbox.StorePath}"),
                     (["web_0", "nosuch"], 1, $"lxc-snap: no container 'nosuch' in {_sandbox.LxcPath}"),
                 })
        {
            var result = PublishedCli.Run(_sandbox.Cli(["diff", .. arguments]));
            Assert.True(result.ExitCode == exitCode, result.ToString());
            Assert.StartsWith(message, result.Stderr);
            Assert.Equal("", result.Stdout);
        }
        Assert.Empty(before.Differences(_sandbox.Fingerprint()));
    }

    [Fact]
    public void Bash_completes_a_snapshot_after_diff_then_a_snapshot_or_a_container()
    {
        _sandbox.CreateBusybox("web");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("web")).ExitCode);
        var completion = Path.Combine(PublishedCli.RepositoryRoot(), "packaging", "completions", "lxc-snap.bash");
        string Complete(params string[] words) => Shell.Check("bash", [
            "-c", "source \"$1\"; shift; COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); _lxc_snap; echo \"${COMPREPLY[*]}\"",
            "bash", completion, "lxc-snap", "-P", _sandbox.LxcPath, .. words]).Trim();

        Assert.Equal("diff", Complete("di"));
        Assert.Equal("web_0", Complete("diff", ""));
        Assert.Equal("web_0 web", Complete("diff", "web_0", ""));
        Assert.Equal("", Complete("diff", "web_0", "web", ""));
        Assert.Equal("--stat", Complete("diff", "web_0", "--st"));
    }

    public void Dispose() => _sandbox.Dispose();
}
