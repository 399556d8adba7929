using LxcSnap.Core.Containers;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Snapshots;

public sealed partial class SnapshotEngine
{
    /// <summary>
    /// Destroys snapshot <paramref name="snapshot"/> (<c>NAME_N</c>). Refused while another
    /// container shares its storage (they are named) or while it runs. Its version number is
    /// never handed out again.
    /// </summary>
    public void Destroy(string snapshot)
    {
        var name = SnapshotName.Parse(snapshot);
        var location = Store.Locate(name);
        if (!location.ConfigExists)
            throw SnapshotMissing(name);

        using var lxc = OpenExisting(location, LxcSnapError.SnapshotNotFound, $"lxc-snap -l {name.Container} lists {name.Container}'s snapshots");
        RefuseIfInUse(name, location, lxc);

        RecoverInterruptedRuns(Store.Path);
        using var locks = ContainerLocks.Acquire(_notice, location);
        if (!location.ConfigExists)
            throw SnapshotMissing(name); // another process destroyed it while we waited
        RefuseIfInUse(name, location, lxc);
        var dependsOn = Dependencies.DependsOn(location);
        lxc.Destroy();
        foreach (var dependency in dependsOn)
            Dependencies.Reconcile(dependency);
    }

    private void RefuseIfInUse(SnapshotName name, ContainerRef location, Interop.LxcContainer lxc)
    {
        Dependencies.Reconcile(location);
        var dependents = Dependencies.Dependents(location);
        if (dependents.Count > 0)
        {
            throw new LxcSnapException(LxcSnapError.SnapshotInUse,
                $"snapshot '{name}' cannot be destroyed: {Describe(dependents)} depend on it. Destroy those first.");
        }
        if (lxc.IsRunning)
        {
            throw new LxcSnapException(LxcSnapError.ContainerRunning,
                $"snapshot '{name}' is running (started with lxc-start -P {Store.Path}): stop it first (lxc-stop -P {Store.Path} -n {name}).");
        }
    }
}
