using LxcSnap.Core.Comparison;
using LxcSnap.Core.Containers;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Snapshots;

public sealed partial class SnapshotEngine
{
    /// <summary>
    /// What differs from snapshot <paramref name="snapshot"/> (<c>NAME_N</c>) to <paramref name="other"/>:
    /// a snapshot when the store has one of that name, else a container of the lxcpath; without it,
    /// NAME as it is now. Only reads: nothing is locked, frozen, mounted or written, so a running
    /// container is compared as it is read (<see cref="ComparedRootfs.Running"/> says so).
    /// </summary>
    public DiffResult Diff(string snapshot, string? other = null, CancellationToken cancellation = default)
    {
        var name = SnapshotName.Parse(snapshot);
        var from = ComparedSnapshot(name);
        var namedLikeSnapshot = SnapshotName.TryParse(other, out var otherName);
        ComparedRootfs to;
        if (other is null)
            to = ComparedContainer(name.Container);
        else if (namedLikeSnapshot && PathAccess.Exists(Store.Locate(otherName).ConfigFile))
            to = ComparedSnapshot(otherName);
        else if (namedLikeSnapshot && !PathAccess.Exists(InLxcPath(other).ConfigFile))
            throw SnapshotMissing(otherName); // no container of that name either: the snapshot is what was meant
        else
            to = ComparedContainer(other);
        foreach (var running in new[] { from, to }.Where(side => side.Running))
            _notice?.Invoke($"{running.Location.Name} is running: it may change while it is compared, and is compared as it is read.");
        return RootfsComparison.Compare(from, to, cancellation);
    }

    private ComparedRootfs ComparedSnapshot(SnapshotName name)
    {
        var location = Store.Locate(name);
        if (!PathAccess.Exists(location.ConfigFile))
            throw SnapshotMissing(name);
        using var lxc = OpenSnapshot(location, name);
        return new ComparedRootfs(location, IsSnapshot: true, BackingStoreOf(location), lxc.IsRunning);
    }

    private ComparedRootfs ComparedContainer(string container)
    {
        ContainerName.Validate(container, "container");
        var location = InLxcPath(container);
        using var lxc = OpenContainer(location);
        return new ComparedRootfs(location, IsSnapshot: false, BackingStoreOf(location), lxc.IsRunning);
    }
}
