using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.FaultInjection;

/// <summary>
/// A store on a file system too small for the copy: the snapshot fails with a message that says
/// the disk is full, nothing half-made is listed or left in the staging area, what was there
/// stays whole, and the next snapshot that fits succeeds. And on a store with not a byte free,
/// destroying a snapshot (which is how users get space back) still works and frees its space.
/// </summary>
[Trait("Category", "FaultInjection")]
public sealed class DiskFullTests : IDisposable
{
    private readonly FaultWorld _world = new(nameof(DiskFullTests));

    public DiskFullTests()
    {
        Directory.CreateDirectory(_world.StorePath);
        // 6 MiB: the overlay delta fits, the dir container's 8 MiB file does not.
        Shell.Check("mount", "-t", "tmpfs", "-o", "size=6m", "lxcsnap-test-store", _world.StorePath);
    }

    [Fact]
    public void A_snapshot_that_does_not_fit_fails_clearly_and_leaves_the_store_as_it_was()
    {
        _world.ExpectSnapshotsOf("ov");
        _world.ExpectSnapshotsOf("big");
        Assert.Equal(0, PublishedCli.Run(_world.Cli("ov")).ExitCode);

        var full = PublishedCli.Run(_world.Cli("big"));

        Assert.Equal(1, full.ExitCode);
        Assert.Contains("No space left on device: the file system is full. Free some space", full.Stderr);
        Assert.Equal(["ov_0"], _world.Listed());
        _world.CheckSettled("after the failed snapshot");

        var next = PublishedCli.Run(_world.Cli("ov"));

        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal(["ov_0", "ov_1"], _world.Listed());
        _world.CheckSettled("after the next snapshot");
        FaultReport.Record("disk full", inputs: 1);
    }

    [Fact]
    public void Destroying_a_snapshot_on_a_store_with_no_space_left_frees_its_space()
    {
        _world.ExpectSnapshotsOf("ov");
        Assert.Equal(0, PublishedCli.Run(_world.Cli("ov")).ExitCode);
        Assert.Equal(0, PublishedCli.Run(_world.Cli("ov")).ExitCode);
        // dd stops at ENOSPC: from here on no file in the store can get a single block.
        Shell.Run("dd", "if=/dev/zero", $"of={_world.StorePath}/filler", "bs=4k");
        Assert.Equal(0, FreeBytes());

        var destroy = PublishedCli.Run(_world.Cli("-d", "ov_0"));

        Assert.True(destroy.ExitCode == 0, destroy.ToString());
        Assert.DoesNotContain("could not remove", destroy.Stderr);
        Assert.Equal(["ov_1"], _world.Listed());
        Assert.True(FreeBytes() > 0, "destroying ov_0 freed no space");
        _world.CheckSettled("after destroying a snapshot on a full store");
        FaultReport.Record("disk full", inputs: 1);
    }

    private long FreeBytes() => new DriveInfo(_world.StorePath).AvailableFreeSpace;

    public void Dispose()
    {
        Shell.Run("umount", _world.StorePath);
        _world.Dispose();
    }
}
