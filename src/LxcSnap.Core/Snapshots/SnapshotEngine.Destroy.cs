using LxcSnap.Core.Containers;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Snapshots;

public sealed partial class SnapshotEngine
{
    /// <summary>
    /// Destroys snapshot <paramref name="snapshot"/> (<c>NAME_N</c>). Refused while another
    /// container shares its storage (they are named), while it runs, and when it holds or points
    /// at data lxc-snap did not make. It is taken out of sight with one rename before anything of
    /// it is deleted, so it is listed whole or not at all. Its version number is never handed out
    /// again.
    /// </summary>
    /// <param name="dryRun">
    /// Make the same checks, as the store is now, and change nothing: not even what interrupted
    /// runs left is finished first, as the real destroy does.
    /// </param>
    public void Destroy(string snapshot, bool dryRun = false)
    {
        var name = SnapshotName.Parse(snapshot);
        var location = Store.Locate(name);
        if (dryRun)
        {
            if (!PathAccess.Exists(location.ConfigFile))
                throw SnapshotMissing(name);
            RefuseIfInUse(name, location, repairRecords: false);
            using var snapshotLxc = OpenSnapshot(location, name);
            RefuseIfSnapshotRunning(snapshotLxc, name);
            return;
        }
        // An lxc-snap killed while destroying this very snapshot took it out of sight: finishing
        // that is what was asked for.
        if (Recover(Store.Path, LxcPath).Contains(location))
            return;
        if (!PathAccess.Exists(location.ConfigFile))
            throw SnapshotMissing(name);
        // Refused before the lock too, so that a refusal leaves nothing behind, not even a lock
        // file. Another lxc-snap may be removing the snapshot as we read it (a prune beside a -d
        // of the same snapshot did): that is a plain "no snapshot".
        try
        {
            RefuseIfInUse(name, location);
        }
        catch (Exception e) when (e is IOException or LxcSnapException { Error: LxcSnapError.FilesystemFailed } && !PathAccess.Exists(location.ConfigFile))
        {
            throw SnapshotMissing(name);
        }

        using var locks = ContainerLocks.Acquire(_notice, location);
        // Again under the lock: whoever destroyed it while we waited makes this a plain "no snapshot".
        // liblxc is asked only now, when no lxc-snap can remove it while liblxc reads its config.
        if (!PathAccess.Exists(location.ConfigFile))
            throw SnapshotMissing(name);
        RefuseIfInUse(name, location);
        using (var lxc = OpenSnapshot(location, name))
            RefuseIfSnapshotRunning(lxc, name);
        using var removal = Staging.TakeOutOfSight(location);
        removal.Close(_notice);
    }

    /// <param name="repairRecords">First finish the copies interrupted runs left and put LXC's records of them right (not in a dry run).</param>
    private void RefuseIfInUse(SnapshotName name, ContainerRef location, bool repairRecords = true)
    {
        if (repairRecords)
        {
            RecoverStagesDependingOn(location);
            Dependencies.Reconcile(location);
        }
        var dependents = Dependencies.Dependents(location);
        if (dependents.Count > 0)
        {
            throw new LxcSnapException(LxcSnapError.SnapshotInUse,
                $"snapshot '{name}' cannot be destroyed: {Describe(dependents)} depend on it. Destroy those first.");
        }
        if (ContainerRemoval.ForeignContent(location) is { } foreign)
            throw new LxcSnapException(LxcSnapError.ForeignContent, $"snapshot '{name}' is not destroyed: {foreign}.");
    }
}
