using LxcSnap.Core.Containers;

namespace LxcSnap.Core.Comparison;

/// <summary>How two root filesystems were compared.</summary>
public enum ComparisonMethod
{
    /// <summary>Two overlays over the same lower layer: their deltas only, the lower layer read only where a delta changes it.</summary>
    OverlayDeltas,
    /// <summary>Every directory of both walked, file contents compared where size and mtime leave doubt.</summary>
    TreeWalk,
}

/// <summary>One side of a comparison: a snapshot in the store, or a container in the lxcpath.</summary>
/// <param name="Running">It ran when it was compared, and may have changed meanwhile.</param>
public sealed record ComparedRootfs(ContainerRef Location, bool IsSnapshot, BackingStore Backing, bool Running);

/// <summary>What <see cref="Snapshots.SnapshotEngine.Diff"/> found: every path that differs, sorted ordinally.</summary>
public sealed record DiffResult(ComparedRootfs From, ComparedRootfs To, ComparisonMethod Method, IReadOnlyList<TreeChange> Changes)
{
    public bool Identical => Changes.Count == 0;

    /// <summary>How many paths changed in the way <paramref name="kind"/> says.</summary>
    public int Count(ChangeKind kind) => Changes.Count(change => change.Kind == kind);
}
