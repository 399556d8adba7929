using LxcSnap.Core.Containers;
using LxcSnap.Core.Copying;
using LxcSnap.Core.Interop;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Snapshots;

/// <summary>
/// Snapshots containers of one lxcpath into one store, restores them and destroys snapshots.
/// Every operation checks its inputs before it changes anything, builds what it makes in a
/// staging area and publishes it atomically (<see cref="Staging"/>), and locks the containers it
/// works on, so concurrent processes and interrupted runs leave every existing container and
/// snapshot as it was.
/// </summary>
public sealed partial class SnapshotEngine
{
    private readonly Action<string>? _notice;

    /// <param name="lxcPath">Where the containers live (liblxc's lxc.lxcpath by default).</param>
    /// <param name="store">Where their snapshots live.</param>
    /// <param name="notice">Receives progress and recovery notes meant for a person (stderr in the CLI).</param>
    public SnapshotEngine(string lxcPath, SnapshotStore store, Action<string>? notice = null)
    {
        if (string.IsNullOrWhiteSpace(lxcPath))
            throw new LxcSnapException(LxcSnapError.InvalidArgument, "the lxcpath is empty.");
        LxcPath = Path.GetFullPath(lxcPath);
        Store = store;
        _notice = notice;
        if (Path.GetFullPath(Store.Path).TrimEnd('/') == LxcPath.TrimEnd('/'))
        {
            throw new LxcSnapException(LxcSnapError.InvalidArgument,
                $"the snapshot store and the lxcpath are the same directory ({LxcPath}): give the store its own directory with --snapshot-path.");
        }
    }

    /// <summary>liblxc's default lxcpath (lxc.lxcpath), usually /var/lib/lxc.</summary>
    public static string DefaultLxcPath => LxcLibrary.DefaultLxcPath();

    public string LxcPath { get; }

    public SnapshotStore Store { get; }

    /// <summary>liblxc's version string; throws a clear error when liblxc is missing or too old.</summary>
    public static string LxcVersion
    {
        get
        {
            LxcLibrary.EnsureLoaded();
            return LxcLibrary.VersionText;
        }
    }

    private ContainerRef InLxcPath(string name) => new(LxcPath, name);

    private void RecoverInterruptedRuns(string lxcPath)
    {
        foreach (var note in Staging.RecoverAbandoned(lxcPath))
            _notice?.Invoke(note);
    }

    /// <summary>Opens a container that must exist, or says where it was looked for.</summary>
    private static LxcContainer OpenExisting(ContainerRef container, LxcSnapError errorWhenMissing, string hint)
    {
        var lxc = LxcContainer.Open(container);
        if (lxc.IsDefined)
            return lxc;
        lxc.Dispose();
        var what = errorWhenMissing == LxcSnapError.SnapshotNotFound ? "snapshot" : "container";
        throw new LxcSnapException(errorWhenMissing, $"no {what} '{container.Name}' in {container.LxcPath}: {hint}.");
    }

    /// <remarks>
    /// Read from the config file, not liblxc: liblxc 5.0.2's get_config_item returns the path with
    /// its storage prefix stripped once the container was loaded ("overlay:" gone), which hides the
    /// backing store.
    /// </remarks>
    private static BackingStore BackingStoreOf(LxcContainer container)
    {
        var rootfs = ContainerConfig.ReadItem(container.Ref, "lxc.rootfs.path");
        if (string.IsNullOrEmpty(rootfs))
            throw new LxcSnapException(LxcSnapError.LxcFailed, $"{container.Ref} has no lxc.rootfs.path in its config: nothing to copy.");
        return BackingStore.Parse(rootfs);
    }

    /// <summary>
    /// Clones <paramref name="source"/> into the staging area with <paramref name="plan"/>,
    /// falling back to a full copy when the store cannot take a native snapshot there, and keeps
    /// only the true storage dependencies of the copy (see <see cref="Dependencies"/>).
    /// </summary>
    private CopyPlan CloneInto(Staging staging, LxcContainer source, CopyPlan plan, CancellationToken cancellation)
    {
        if (plan.OwnDirCopy && plan.Source is { } backing && DirContainerCopy.Handles(source.Ref, backing))
            return CopyDirContainer(staging, source.Ref, backing, plan, cancellation);
        plan = plan with { Description = plan.OwnDirCopy ? plan.Description + " (liblxc rsync)" : plan.Description };
        try
        {
            source.Clone(staging.Staged, plan.Flags, plan.BackingStoreType).Dispose();
        }
        catch (LxcSnapException e) when (e.Error == LxcSnapError.LxcFailed && plan.MayFallBackToFullCopy)
        {
            _notice?.Invoke($"a native snapshot of {source.Ref} is not possible in {staging.Final.LxcPath}; making a full copy instead.");
            if (Directory.Exists(staging.Staged.Directory))
                Directory.Delete(staging.Staged.Directory, recursive: true);
            plan = plan.AsFullCopy();
            source.Clone(staging.Staged, plan.Flags, plan.BackingStoreType).Dispose();
        }
        // The copy's own delta does not depend on the container it was cloned from.
        Dependencies.Forget(staging.Staged, source.Ref);
        Dependencies.Reconcile(source.Ref);
        return plan;
    }

    /// <summary>Our own copy of a dir container (see <see cref="DirContainerCopy"/>); the method used names the plan.</summary>
    private static CopyPlan CopyDirContainer(Staging staging, ContainerRef source, BackingStore backing, CopyPlan plan, CancellationToken cancellation)
    {
        try
        {
            var method = DirContainerCopy.Copy(source, backing, staging.Staged,
                keepName: plan.Flags.HasFlag(CloneFlags.KeepName),
                keepMacAddresses: plan.Flags.HasFlag(CloneFlags.KeepMacAddress),
                cancellation);
            return plan with { Description = $"{plan.Description} ({method.Describe()})" };
        }
        catch (IOException e)
        {
            throw new LxcSnapException(LxcSnapError.FilesystemFailed, $"could not copy {source} to {staging.Final.LxcPath}: {e.Message}");
        }
    }

    /// <summary>After publishing: what the new container depends on now lists it under its final name.</summary>
    private static void RegisterDependencies(ContainerRef published)
    {
        foreach (var dependency in Dependencies.DependsOn(published))
            Dependencies.Reconcile(dependency, published);
    }
}
