namespace LxcSnap.Tests.Infrastructure;

/// <summary>
/// A small XFS file system with reflinks (mkfs.xfs -m reflink=1) in a sparse image file,
/// loop-mounted for one test and unmounted (which frees the loop device) and deleted afterwards.
/// </summary>
public sealed class LoopXfs : IDisposable
{
    private readonly string _image;

    private LoopXfs(string image, string mountPoint)
    {
        _image = image;
        MountPoint = mountPoint;
    }

    public string MountPoint { get; }

    /// <summary>300 MB is the smallest XFS that xfsprogs 6 makes; the image only takes what is written.</summary>
    public static LoopXfs Create(int megabytes = 320)
    {
        var root = Path.Combine(Path.GetTempPath(), "lxcsnap-tests", $"xfs-{Guid.NewGuid():N}"[..12]);
        Directory.CreateDirectory(root);
        var image = root + ".img";
        Shell.Check("truncate", "-s", $"{megabytes}M", image);
        Shell.Check("mkfs.xfs", "-q", "-m", "reflink=1", image);
        Shell.Check("mount", "-o", "loop", image, root);
        return new LoopXfs(image, root);
    }

    public void Dispose()
    {
        // mount -o loop sets autoclear: unmounting detaches the loop device.
        Shell.Run("umount", MountPoint);
        if (Directory.Exists(MountPoint) && !Directory.EnumerateFileSystemEntries(MountPoint).Any())
            Directory.Delete(MountPoint);
        File.Delete(_image);
    }
}
