using LxcSnap.Core.Containers;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core.Comparison;

/// <summary>Compares the root filesystems of two containers or snapshots where they are stored: nothing is mounted, nothing written.</summary>
internal static class RootfsComparison
{
    public static DiffResult Compare(ComparedRootfs from, ComparedRootfs to, CancellationToken cancellation)
    {
        var (before, after) = (TreeOf(from), TreeOf(to));
        try
        {
            var changes = TreeComparer.Compare(before, after, cancellation: cancellation);
            var method = before.SharesLowerLayersWith(after) ? ComparisonMethod.OverlayDeltas : ComparisonMethod.TreeWalk;
            return new DiffResult(from, to, method, changes);
        }
        catch (FileSystemCallException e)
        {
            throw FileSystemErrors.From(e);
        }
    }

    /// <summary>The root filesystem of <paramref name="side"/> as it would be mounted; refused for the backing stores that only a mount shows.</summary>
    public static LayeredTree TreeOf(ComparedRootfs side) => side.Backing switch
    {
        { DirectoryPath: { } directory } => LayeredTree.OfDirectory(directory),
        { Kind: BackingStoreKind.Overlay, OverlayDelta: { } delta, OverlayLower: { } lower } =>
            LayeredTree.OfOverlay(delta, lower.Split(':', StringSplitOptions.RemoveEmptyEntries)),
        _ => throw new LxcSnapException(LxcSnapError.InvalidArgument,
            $"the root filesystem of {side.Location} is {side.Backing.Describe()} ({side.Backing.RootfsPath}): "
            + "only dir, btrfs and overlay root filesystems are compared, read where they are stored, since a comparison never mounts anything"),
    };
}
