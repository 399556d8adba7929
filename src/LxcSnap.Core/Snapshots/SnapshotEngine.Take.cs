using LxcSnap.Core.Containers;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Snapshots;

/// <summary>What a snapshot made, and how it was copied.</summary>
public sealed record SnapshotResult(SnapshotInfo Snapshot, CopyMethod Method);

public sealed partial class SnapshotEngine
{
    /// <summary>
    /// Snapshots <paramref name="container"/> into the store as <c>NAME_N</c>, N one more than
    /// any version NAME ever had, with the time, <paramref name="comment"/> and <see cref="Provenance"/> beside it.
    /// </summary>
    /// <param name="allowRunning">Snapshot a running container by freezing it for the copy (it is always thawed again).</param>
    /// <param name="cancellation">Checked before the copy and before publishing; a cancelled snapshot leaves nothing behind.</param>
    public SnapshotResult Snapshot(string container, SnapshotComment? comment = null, bool allowRunning = false, CancellationToken cancellation = default)
    {
        ContainerName.Validate(container, "container");
        var source = InLxcPath(container);
        Recover(Store.Path, LxcPath);
        // Checked before anything is written: a refusal leaves no trace, not even a lock file.
        using (var probe = OpenContainer(source))
            RefuseIfRunning(probe, allowRunning);
        RefuseStoreInside(source);

        Store.EnsureExists();
        using var locks = ContainerLocks.Acquire(_notice, source);
        // Again under the lock, with what liblxc reads now: it may have started, or been replaced.
        using var lxc = OpenContainer(source);
        var state = lxc.State;
        var running = RefuseIfRunning(lxc, allowRunning);
        var plan = CopyPlan.For(BackingStoreOf(source), keepIdentity: true, allowRunning: running);

        var name = Store.AllocateVersion(container, _notice);
        CrashPoints.Reach("snapshot.numbered");
        using var staging = Staging.Begin(Store.Locate(name));
        cancellation.ThrowIfCancellationRequested();
        var takenAt = DateTime.Now;
        // A container frozen already (by its owner) is consistent as it is, and stays frozen.
        if (running && state != "FROZEN")
        {
            using (FrozenContainer.Freeze(lxc))
                plan = CloneInto(staging, lxc, plan, cancellation);
        }
        else
        {
            plan = CloneInto(staging, lxc, plan, cancellation);
        }
        CrashPoints.Reach("snapshot.copied");
        SnapshotMetadata.Write(staging.Staged.Directory, takenAt, comment, Provenance);
        cancellation.ThrowIfCancellationRequested();
        staging.Publish(replaceExisting: false, rootfsDurable: plan.RootfsDurableWhenCopied);
        staging.Close(_notice);
        return new SnapshotResult(Store.Find(name)!, plan.Method);
    }

    /// <summary>Throws <see cref="LxcSnapError.ContainerNotFound"/> unless the container exists: a check to make before anything is created.</summary>
    internal void RequireContainer(string container)
    {
        ContainerName.Validate(container, "container");
        OpenContainer(InLxcPath(container)).Dispose();
    }

    private Interop.LxcContainer OpenContainer(ContainerRef container) =>
        OpenExisting(container, LxcSnapError.ContainerNotFound,
            new Remedy.RunCommand(CommandText.Of("lxc-ls", "-P", LxcPath), "lists the containers there"), new Remedy.ChooseLxcPath());

    private bool RefuseIfRunning(Interop.LxcContainer container, bool allowRunning)
    {
        var running = container.IsRunning;
        if (running && !allowRunning)
        {
            throw new LxcSnapException(LxcSnapError.ContainerRunning, $"container '{container.Ref.Name}' is running",
                [new Remedy.RunCommand(CommandText.Of("lxc-stop", "-P", LxcPath, "-n", container.Ref.Name), "stops it"), new Remedy.AllowRunning()]);
        }
        return running;
    }

    /// <summary>
    /// A store inside the container (its directory, or any layer of its root filesystem) would be
    /// copied into itself, over and over, until the path is too long.
    /// </summary>
    private void RefuseStoreInside(ContainerRef source)
    {
        var storage = BackingStoreOf(source);
        var layers = new List<(string What, string Path)> { ("directory", source.Directory) };
        if (storage.Kind == BackingStoreKind.Overlay)
        {
            layers.AddRange(new[] { ("root filesystem's upper layer", storage.OverlayDelta), ("root filesystem's lower layer", storage.OverlayLower) }
                .Where(l => l.Item2 is not null).Select(l => (l.Item1, l.Item2!)));
        }
        else if (storage.Kind is BackingStoreKind.Dir or BackingStoreKind.Btrfs && storage.RootfsPath.Contains('/'))
        {
            layers.Add(("root filesystem", storage.RootfsPath[storage.RootfsPath.IndexOf('/')..]));
        }
        foreach (var (what, path) in layers)
        {
            if (PathRules.IsWithin(Store.Path, path))
            {
                throw new LxcSnapException(LxcSnapError.InvalidArgument,
                    $"the snapshot store {Store.Path} lies inside {source}'s {what} ({path}): a snapshot would copy the store into itself",
                    [new Remedy.ChooseStore()]);
            }
        }
    }
}
