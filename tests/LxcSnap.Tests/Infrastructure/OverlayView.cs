using LxcSnap.Core.Containers;

namespace LxcSnap.Tests.Infrastructure;

/// <summary>
/// The root filesystem of an overlay container as the kernel shows it, mounted for one test:
/// <see cref="ReadOnly"/> stacks the delta on the lower layer as two lower layers, so nothing is
/// written to either and whiteouts and opaque directories are read exactly as when it runs;
/// <see cref="Writable"/> mounts the delta as the upper layer, so that what a test does there
/// leaves in the delta what a running container would (whiteouts, opaque directories).
/// </summary>
public sealed class OverlayView : IDisposable
{
    private readonly string? _work;

    private OverlayView(string root, string? work)
    {
        Root = root;
        _work = work;
    }

    /// <summary>Where the merged root filesystem is mounted.</summary>
    public string Root { get; }

    /// <param name="userXattr">Mount with <c>userxattr</c>: overlayfs then keeps its own marks as user.overlay.* (as unprivileged overlays do).</param>
    public static OverlayView ReadOnly(ContainerRef container, bool userXattr = false)
    {
        var (delta, lower) = LxcSandbox.Layers(container);
        return Mount($"lowerdir={delta}:{lower}", work: null, userXattr);
    }

    public static OverlayView Writable(ContainerRef container, bool userXattr = false)
    {
        var (delta, lower) = LxcSandbox.Layers(container);
        // The work directory must lie on the delta's file system and be empty: one of our own beside it.
        var work = Path.Combine(Path.GetDirectoryName(delta)!, "test-work");
        Directory.CreateDirectory(work);
        return Mount($"lowerdir={lower},upperdir={delta},workdir={work}", work, userXattr);
    }

    private static OverlayView Mount(string layers, string? work, bool userXattr)
    {
        var root = Path.Combine(Path.GetTempPath(), "lxcsnap-tests", "view-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        Shell.Check("mount", "-t", "overlay", "overlay", "-o", layers + (userXattr ? ",userxattr" : ""), root);
        return new OverlayView(root, work);
    }

    /// <summary>A path inside the mounted root filesystem.</summary>
    public string this[string path] => Path.Combine(Root, path.TrimStart('/'));

    /// <summary>Runs a shell script in the mounted root filesystem (its working directory).</summary>
    public void Run(string script) => Shell.Check("sh", "-euc", "cd \"$1\"; " + script, "sh", Root);

    public void Dispose()
    {
        Shell.Check("umount", Root);
        Directory.Delete(Root);
        if (_work is not null)
            Shell.Check("rm", "-rf", "--one-file-system", _work);
    }
}
