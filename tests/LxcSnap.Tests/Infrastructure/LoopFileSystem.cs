namespace LxcSnap.Tests.Infrastructure;

/// <summary>
/// A small file system in a sparse image file, loop-mounted for one test and unmounted (which
/// frees the loop device) and deleted afterwards: XFS with reflinks, or btrfs.
/// </summary>
public sealed class LoopFileSystem : IDisposable
{
    private readonly string _image;

    private LoopFileSystem(string image, string mountPoint)
    {
        _image = image;
        MountPoint = mountPoint;
    }

    public string MountPoint { get; }

    /// <summary>XFS with reflink=1; 300 MB is the smallest XFS that xfsprogs 6 makes; the image only takes what is written.</summary>
    public static LoopFileSystem Xfs(int megabytes = 320) => Create("xfs", megabytes, "mkfs.xfs", "-q", "-m", "reflink=1");

    /// <summary>btrfs, whose subvolumes LXC snapshots natively (lxc-create -B btrfs).</summary>
    public static LoopFileSystem Btrfs(int megabytes = 320) => Create("btrfs", megabytes, "mkfs.btrfs", "-q");

    private static LoopFileSystem Create(string kind, int megabytes, params string[] mkfs)
    {
        var root = Path.Combine(Path.GetTempPath(), "lxcsnap-tests", $"{kind}-{Guid.NewGuid():N}"[..(kind.Length + 9)]);
        Directory.CreateDirectory(root);
        var image = root + ".img";
        Shell.Check("truncate", "-s", $"{megabytes}M", image);
        Shell.Check(mkfs[0], [.. mkfs[1..], image]);
        Shell.Check("mount", "-o", "loop", image, root);
        return new LoopFileSystem(image, root);
    }

    public void Dispose()
    {
        // mount -o loop sets autoclear: unmounting detaches the loop device. A container started
        // from this file system is stopped when lxc-stop returns, but its monitor (lxc-start,
        // which holds the container's log there) exits a moment later: until then umount says busy.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        ProcessResult unmount;
        while ((unmount = Shell.Run("umount", MountPoint)).ExitCode != 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(100);
        if (unmount.ExitCode != 0)
            throw new InvalidOperationException($"{MountPoint} stays mounted: {unmount}\n{Shell.Run("fuser", "-vm", MountPoint)}");
        if (Directory.Exists(MountPoint) && !Directory.EnumerateFileSystemEntries(MountPoint).Any())
            Directory.Delete(MountPoint);
        File.Delete(_image);
    }
}
