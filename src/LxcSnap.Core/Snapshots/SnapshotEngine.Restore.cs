using LxcSnap.Core.Containers;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Snapshots;

/// <summary>What a restore made.</summary>
/// <param name="Container">The restored container.</param>
/// <param name="Replaced">True when an existing container of that name was replaced (--force).</param>
public sealed record RestoreResult(ContainerRef Container, SnapshotName From, bool Replaced, string Method);

public sealed partial class SnapshotEngine
{
    /// <summary>
    /// Restores snapshot <paramref name="snapshot"/> (<c>NAME_N</c>) into the lxcpath as
    /// <paramref name="newName"/>, which may be NAME itself once NAME was destroyed. An existing
    /// <paramref name="newName"/> is refused unless <paramref name="force"/>; then the restored copy
    /// is made complete first and swapped in atomically, so the old container is never lost.
    /// </summary>
    public RestoreResult Restore(string snapshot, string newName, bool force = false, CancellationToken cancellation = default)
    {
        var name = SnapshotName.Parse(snapshot);
        ContainerName.Validate(newName, "new container");
        var source = Store.Locate(name);
        var target = InLxcPath(newName);
        if (!source.ConfigExists)
            throw SnapshotMissing(name);

        using var lxc = OpenExisting(source, LxcSnapError.SnapshotNotFound, $"lxc-snap -l {name.Container} lists {name.Container}'s snapshots");
        CheckTarget(target, force);

        Directory.CreateDirectory(LxcPath);
        RecoverInterruptedRuns(LxcPath);
        using var locks = ContainerLocks.Acquire(_notice, source, target);
        if (!source.ConfigExists)
            throw SnapshotMissing(name); // destroyed while we waited for the lock
        var replacing = CheckTarget(target, force);
        var plan = CopyPlan.For(BackingStoreOf(lxc), keepIdentity: newName == name.Container, allowRunning: false);
        cancellation.ThrowIfCancellationRequested();
        using var staging = Staging.Begin(target);
        plan = CloneInto(staging, lxc, plan, cancellation);
        // A restored container is a container, not a snapshot: the snapshot's ts and comment stay behind.
        File.Delete(Path.Combine(staging.Staged.Directory, SnapshotMetadata.TimestampFile));
        File.Delete(Path.Combine(staging.Staged.Directory, SnapshotMetadata.CommentFile));
        cancellation.ThrowIfCancellationRequested();
        var replaced = staging.Publish(replaceExisting: replacing, _notice);
        RegisterDependencies(target);
        return new RestoreResult(target, name, replaced, plan.Description);
    }

    /// <summary>Returns true when <paramref name="target"/> exists and may be replaced; throws when it may not.</summary>
    private static bool CheckTarget(ContainerRef target, bool force)
    {
        using var existing = Interop.LxcContainer.Open(target);
        if (!existing.IsDefined)
        {
            if (Directory.Exists(target.Directory))
            {
                throw new LxcSnapException(LxcSnapError.TargetExists,
                    $"{target.Directory} exists but holds no container config: move it away or choose another name.");
            }
            return false;
        }
        if (!force)
        {
            throw new LxcSnapException(LxcSnapError.TargetExists,
                $"container '{target.Name}' already exists in {target.LxcPath}: choose another name, or pass --force to replace it (snapshot it first if you may want it back).");
        }
        if (existing.IsRunning)
        {
            throw new LxcSnapException(LxcSnapError.ContainerRunning,
                $"container '{target.Name}' is running: stop it (lxc-stop -P {target.LxcPath} -n {target.Name}) before replacing it.");
        }
        Dependencies.Reconcile(target);
        var dependents = Dependencies.Dependents(target);
        if (dependents.Count > 0)
        {
            throw new LxcSnapException(LxcSnapError.SnapshotInUse,
                $"container '{target.Name}' cannot be replaced: {Describe(dependents)} share its root filesystem. Destroy them first.");
        }
        var nativeSnapshots = Path.Combine(target.Directory, "snaps");
        if (Directory.Exists(nativeSnapshots) && Directory.EnumerateFileSystemEntries(nativeSnapshots).Any())
        {
            throw new LxcSnapException(LxcSnapError.SnapshotInUse,
                $"container '{target.Name}' has LXC snapshots of its own in {nativeSnapshots} (lxc-snapshot -L -n {target.Name}): they would be lost; remove them first.");
        }
        return true;
    }

    private LxcSnapException SnapshotMissing(SnapshotName name) =>
        new(LxcSnapError.SnapshotNotFound,
            $"no snapshot '{name}' in {Store.Path}: lxc-snap -l {name.Container} lists {name.Container}'s snapshots.");

    private static string Describe(IReadOnlyList<ContainerRef> containers) =>
        string.Join(", ", containers.Select(c => c.ToString()));
}
