using LxcSnap.Core.Containers;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Snapshots;

/// <summary>What a snapshot made, and how it was copied.</summary>
public sealed record SnapshotResult(SnapshotInfo Snapshot, string Method);

public sealed partial class SnapshotEngine
{
    /// <summary>
    /// Snapshots <paramref name="container"/> into the store as <c>NAME_N</c>, N one more than
    /// any version NAME ever had, with the time and <paramref name="comment"/> beside it.
    /// </summary>
    /// <param name="allowRunning">Snapshot a running container by freezing it for the copy (it is always thawed again).</param>
    /// <param name="cancellation">Checked before the copy and before publishing; a cancelled snapshot leaves nothing behind.</param>
    public SnapshotResult Snapshot(string container, string? comment = null, bool allowRunning = false, CancellationToken cancellation = default)
    {
        ContainerName.Validate(container, "container");
        var source = InLxcPath(container);
        using var lxc = OpenContainer(source);

        RefuseIfRunning(lxc, allowRunning);

        Directory.CreateDirectory(Store.Path);
        RecoverInterruptedRuns(Store.Path);
        using var locks = ContainerLocks.Acquire(_notice, source);
        var running = RefuseIfRunning(lxc, allowRunning); // again: it may have started while we waited
        var plan = CopyPlan.For(BackingStoreOf(lxc), keepIdentity: true, allowRunning: running);

        var name = Store.AllocateVersion(container);
        using var staging = Staging.Begin(Store.Locate(name));
        cancellation.ThrowIfCancellationRequested();
        var takenAt = DateTime.Now;
        plan = WhileFrozen(lxc, running, () => CloneInto(staging, lxc, plan, cancellation));
        SnapshotMetadata.Write(staging.Staged.Directory, takenAt, comment);
        cancellation.ThrowIfCancellationRequested();
        staging.Publish(replaceExisting: false, _notice);
        RegisterDependencies(staging.Final);
        return new SnapshotResult(Store.Find(name)!, plan.Description);
    }

    /// <summary>Throws <see cref="LxcSnapError.ContainerNotFound"/> unless the container exists: a check to make before anything is created.</summary>
    internal void RequireContainer(string container)
    {
        ContainerName.Validate(container, "container");
        OpenContainer(InLxcPath(container)).Dispose();
    }

    private Interop.LxcContainer OpenContainer(ContainerRef container) =>
        OpenExisting(container, LxcSnapError.ContainerNotFound, $"lxc-ls -P {LxcPath} lists the containers there; -P/--lxcpath chooses another lxcpath");

    private bool RefuseIfRunning(Interop.LxcContainer container, bool allowRunning)
    {
        var running = container.IsRunning;
        if (running && !allowRunning)
        {
            throw new LxcSnapException(LxcSnapError.ContainerRunning,
                $"container '{container.Ref.Name}' is running: stop it first (lxc-stop -P {LxcPath} -n {container.Ref.Name}), or pass --allow-running to freeze it while it is copied.");
        }
        return running;
    }

    /// <summary>Runs <paramref name="copy"/> with the container frozen when it is running, and always thaws it.</summary>
    private static T WhileFrozen<T>(Interop.LxcContainer container, bool running, Func<T> copy)
    {
        if (!running)
            return copy();
        container.Freeze();
        try
        {
            return copy();
        }
        finally
        {
            container.Unfreeze();
        }
    }
}
