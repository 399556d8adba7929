using LxcSnap.Core.Containers;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Snapshots;

/// <summary>What a restore made.</summary>
/// <param name="Container">The restored container.</param>
/// <param name="Replaced">True when an existing container of that name was replaced (--force).</param>
/// <param name="Method">How it was copied; null for a dry run, which copies nothing.</param>
public sealed record RestoreResult(ContainerRef Container, SnapshotName From, bool Replaced, CopyMethod? Method);

public sealed partial class SnapshotEngine
{
    /// <summary>
    /// Restores snapshot <paramref name="snapshot"/> (<c>NAME_N</c>) into the lxcpath as
    /// <paramref name="newName"/>, which may be NAME itself once NAME was destroyed. An existing
    /// <paramref name="newName"/> is refused unless <paramref name="force"/>; then the restored copy
    /// is made complete first and swapped in atomically, so the old container is never lost.
    /// </summary>
    /// <param name="dryRun">
    /// Make the same checks, as the lxcpath and store are now, and change nothing: the result says
    /// whether an existing container would be replaced.
    /// </param>
    public RestoreResult Restore(string snapshot, string newName, bool force = false, bool dryRun = false, CancellationToken cancellation = default)
    {
        var name = SnapshotName.Parse(snapshot);
        ContainerName.Validate(newName, "new container");
        var source = Store.Locate(name);
        var target = InLxcPath(newName);
        if (dryRun)
        {
            if (!PathAccess.Exists(source.ConfigFile))
                throw SnapshotMissing(name);
            var wouldReplace = CheckTarget(target, force, repairRecords: false);
            using var snapshotLxc = OpenSnapshot(source, name);
            RefuseIfSnapshotRunning(snapshotLxc, name);
            return new RestoreResult(target, name, wouldReplace, Method: null);
        }
        Recover(LxcPath, Store.Path);
        // Checked before anything is written: a refusal leaves no trace. liblxc is not asked about
        // the snapshot yet: another lxc-snap may be destroying it, and liblxc would complain on
        // stderr about a config that vanished while it read it.
        if (!PathAccess.Exists(source.ConfigFile))
            throw SnapshotMissing(name);
        CheckTarget(target, force);

        PathRules.EnsureDirectory(LxcPath, "lxcpath");
        using var locks = ContainerLocks.Acquire(_notice, source, target);
        // Again under the lock: another process may have destroyed the snapshot, or made or
        // replaced the target, while we waited.
        if (!PathAccess.Exists(source.ConfigFile))
            throw SnapshotMissing(name);
        using var lxc = OpenSnapshot(source, name);
        RefuseIfSnapshotRunning(lxc, name);
        var replacing = CheckTarget(target, force);
        var plan = CopyPlan.For(BackingStoreOf(source), keepIdentity: newName == name.Container, allowRunning: false);
        cancellation.ThrowIfCancellationRequested();
        using var staging = Staging.Begin(target);
        plan = CloneInto(staging, lxc, plan, cancellation);
        CrashPoints.Reach("restore.copied");
        SnapshotMetadata.RemoveFrom(staging.Staged.Directory);
        cancellation.ThrowIfCancellationRequested();
        var replaced = staging.Publish(replaceExisting: replacing, rootfsDurable: plan.RootfsDurableWhenCopied);
        staging.Close(_notice);
        return new RestoreResult(target, name, replaced, plan.Method);
    }

    private Interop.LxcContainer OpenSnapshot(ContainerRef location, SnapshotName name) =>
        OpenExisting(location, LxcSnapError.SnapshotNotFound, ListSnapshotsOf(name.Container));

    /// <summary>The command that lists <paramref name="container"/>'s snapshots in this store.</summary>
    private Remedy.RunCommand ListSnapshotsOf(string container) =>
        new Remedy.RunCommand(LxcSnapCommandLine("-l", container), $"lists {container}'s snapshots");

    /// <summary>A snapshot started as a container (lxc-start -P STORE) changes while it runs: it is copied only stopped.</summary>
    private void RefuseIfSnapshotRunning(Interop.LxcContainer snapshot, SnapshotName name)
    {
        if (snapshot.IsRunning)
        {
            throw new LxcSnapException(LxcSnapError.ContainerRunning, $"snapshot '{name}' is running (started with lxc-start -P {Store.Path})",
                [new Remedy.RunCommand(CommandText.Of("lxc-stop", "-P", Store.Path, "-n", name.ToString()), "stops it")]);
        }
    }

    /// <summary>Returns true when <paramref name="target"/> exists and may be replaced; throws when it may not.</summary>
    /// <param name="repairRecords">First finish the copies interrupted runs left and put LXC's records of them right (not in a dry run).</param>
    private bool CheckTarget(ContainerRef target, bool force, bool repairRecords = true)
    {
        if (!PathAccess.Exists(target.ConfigFile))
        {
            if (PathAccess.Exists(target.Directory))
            {
                throw new LxcSnapException(LxcSnapError.TargetExists,
                    $"{target.Directory} exists but holds no container config: move it away or choose another name.");
            }
            return false;
        }
        if (!force)
        {
            throw new LxcSnapException(LxcSnapError.TargetExists, $"container '{target.Name}' already exists in {target.LxcPath}",
                [new Remedy.Advice("choose another name"), new Remedy.ReplaceExisting()]);
        }
        if (ContainerLifecycle.IsRunning(target))
        {
            throw new LxcSnapException(LxcSnapError.ContainerRunning, $"container '{target.Name}' is running and cannot be replaced",
                [new Remedy.RunCommand(CommandText.Of("lxc-stop", "-P", target.LxcPath, "-n", target.Name), "stops it")]);
        }
        if (repairRecords)
        {
            RecoverStagesDependingOn(target);
            Dependencies.Reconcile(target);
        }
        var dependents = Dependencies.Dependents(target);
        if (dependents.Count > 0)
        {
            throw new LxcSnapException(LxcSnapError.SnapshotInUse,
                $"container '{target.Name}' cannot be replaced: {Describe(dependents)} share its root filesystem. Destroy them first.");
        }
        var nativeSnapshots = Path.Combine(target.Directory, "snaps");
        if (PathAccess.Kind(nativeSnapshots) == Interop.FileKind.Directory && Directory.EnumerateFileSystemEntries(nativeSnapshots).Any())
        {
            throw new LxcSnapException(LxcSnapError.SnapshotInUse,
                $"container '{target.Name}' has LXC snapshots of its own in {nativeSnapshots} (lxc-snapshot -L -n {target.Name}): they would be lost; remove them first.");
        }
        return true;
    }

    private LxcSnapException SnapshotMissing(SnapshotName name) =>
        new(LxcSnapError.SnapshotNotFound, $"no snapshot '{name}' in {Store.Path}", [ListSnapshotsOf(name.Container)]);

    private static string Describe(IReadOnlyList<ContainerRef> containers) =>
        string.Join(", ", containers.Select(c => c.ToString()));
}
