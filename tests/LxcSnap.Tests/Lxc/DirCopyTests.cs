using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>
/// lxc-snap copies dir containers itself: by cloning extents where the file system can (XFS with
/// reflink=1), by copy_file_range elsewhere; either way the copy is identical to the original in
/// everything `cp -a` keeps.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class DirCopyTests
{
    [Fact]
    public void On_xfs_with_reflinks_a_dir_snapshot_clones_extents_and_keeps_every_attribute()
    {
        using var xfs = LoopFileSystem.Xfs();
        using var sandbox = LxcSandbox.CreateUnder(xfs.MountPoint);
        var web = sandbox.CreateBusybox("web");
        var rootfs = LxcSandbox.Layers(web).Writable;
        EveryKindOfEntry.WriteInto(rootfs);

        var result = sandbox.Engine().Snapshot("web");

        Assert.Equal("full copy (reflink)", result.Method.Description);
        var copy = LxcSandbox.Layers(sandbox.Snapshot("web_0")).Writable;
        Assert.Empty(TreeAttributes.Differences(rootfs, copy));
        Assert.Contains("shared", Shell.Check("filefrag", "-v", Path.Combine(copy, EveryKindOfEntry.DataFile)));
    }

    [Fact]
    public void On_xfs_with_reflinks_a_dir_restore_clones_extents_and_gives_the_copy_its_new_name()
    {
        using var xfs = LoopFileSystem.Xfs();
        using var sandbox = LxcSandbox.CreateUnder(xfs.MountPoint);
        EveryKindOfEntry.WriteInto(LxcSandbox.Layers(sandbox.CreateBusybox("web")).Writable);
        var engine = sandbox.Engine();
        engine.Snapshot("web");

        var restored = engine.Restore("web_0", "web_copy");

        Assert.Equal("full copy (reflink)", restored.Method!.Description);
        var snapshotRootfs = LxcSandbox.Layers(sandbox.Snapshot("web_0")).Writable;
        Assert.Empty(TreeAttributes.Differences(snapshotRootfs, LxcSandbox.Layers(restored.Container).Writable));
        var config = File.ReadAllText(restored.Container.ConfigFile);
        Assert.Contains("lxc.uts.name = web_copy", config);
        Assert.Contains($"lxc.rootfs.path = dir:{restored.Container.Directory}/rootfs", config);
        Assert.DoesNotContain(sandbox.StorePath, config);
        Assert.Contains("web_copy", LxcSandbox.ListedByLxc(sandbox.LxcPath));
    }

    [Fact]
    public void Without_reflinks_a_dir_snapshot_falls_back_to_copy_file_range_and_keeps_every_attribute_and_hole()
    {
        using var sandbox = LxcSandbox.Create();
        var web = sandbox.CreateBusybox("web");
        var rootfs = LxcSandbox.Layers(web).Writable;
        EveryKindOfEntry.WriteInto(rootfs);

        var result = sandbox.Engine().Snapshot("web");

        Assert.Equal("full copy (copy_file_range)", result.Method.Description);
        var copy = LxcSandbox.Layers(sandbox.Snapshot("web_0")).Writable;
        Assert.Empty(TreeAttributes.Differences(rootfs, copy));
        var sparse = TreeAttributes.AllocatedBlocks(Path.Combine(copy, EveryKindOfEntry.SparseFile));
        Assert.InRange(sparse, 1, TreeAttributes.AllocatedBlocks(Path.Combine(rootfs, EveryKindOfEntry.SparseFile)));

        // The comparison does see what a careless copy loses (owners, modes, times, xattrs, links).
        var careless = Path.Combine(sandbox.Root, "careless");
        Shell.Check("cp", "-r", "--no-preserve=all", rootfs, careless);
        Assert.NotEmpty(TreeAttributes.Differences(rootfs, careless));
    }
}
