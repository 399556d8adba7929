using LxcSnap.Core.Containers;
using LxcSnap.Core.Copying;
using LxcSnap.Core.Interop;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Snapshots;

/// <summary>
/// Snapshots containers of one lxcpath into one store, restores them and destroys snapshots.
/// Every operation checks its inputs before it changes anything, locks the containers it works
/// on and checks again under the lock (another process may have acted meanwhile), builds what it
/// makes in a staging area and publishes it atomically, and takes what it removes out of sight
/// first (<see cref="Staging"/>). So concurrent processes, kill -9 at any instant and a full disk
/// leave every existing container and snapshot as it was, and never a half-made or half-removed
/// one listed. Each operation starts, before anything else, by finishing what interrupted runs
/// left (<see cref="Recover"/>): also a refusal, if it is not one of the command line itself.
/// </summary>
public sealed partial class SnapshotEngine
{
    private readonly Action<string>? _notice;

    /// <param name="lxcPath">Where the containers live (liblxc's lxc.lxcpath by default).</param>
    /// <param name="store">Where their snapshots live.</param>
    /// <param name="notice">Receives progress and recovery notes meant for a person (stderr in the CLI).</param>
    public SnapshotEngine(string lxcPath, SnapshotStore store, Action<string>? notice = null)
    {
        LxcPath = PathRules.Validate(lxcPath, "lxcpath");
        Store = store;
        _notice = notice;
        if (PathRules.Resolve(Store.Path) == PathRules.Resolve(LxcPath))
        {
            throw new LxcSnapException(LxcSnapError.InvalidArgument,
                $"the snapshot store and the lxcpath are the same directory ({LxcPath})", [new Remedy.ChooseStore()]);
        }
    }

    /// <summary>
    /// The engine for what a front-end was given, the one place where defaults are resolved: an
    /// empty or missing <paramref name="lxcPath"/> is liblxc's lxc.lxcpath, an empty or missing
    /// <paramref name="snapshotPath"/> is <see cref="SnapshotStore.Resolve"/>'s ($LXCSNAP_STORE,
    /// else the lxcpath followed by "snaps").
    /// </summary>
    public static SnapshotEngine ForPaths(string? lxcPath, string? snapshotPath, Action<string>? notice = null)
    {
        var resolvedLxcPath = string.IsNullOrWhiteSpace(lxcPath) ? DefaultLxcPath : lxcPath;
        return new SnapshotEngine(resolvedLxcPath, SnapshotStore.Resolve(snapshotPath, resolvedLxcPath), notice);
    }

    /// <summary>liblxc's default lxcpath (lxc.lxcpath), usually /var/lib/lxc.</summary>
    public static string DefaultLxcPath => LxcLibrary.DefaultLxcPath();

    public string LxcPath { get; }

    /// <summary>
    /// Told how far each copy lxc-snap makes itself is (dir and overlay containers), from the
    /// copying threads; liblxc's own copies (rsync, native snapshots) report nothing.
    /// </summary>
    public Action<Copying.CopyProgress>? Progress { get; set; }

    public SnapshotStore Store { get; }

    /// <summary>
    /// Who and what is taking snapshots, recorded with each one (provenance.json): set by the
    /// front-end for its command, so that the snapshots of a provisioning transaction carry the
    /// command of the transaction (run, begin, end). Null records none.
    /// </summary>
    public Provenance? Provenance { get; set; }

    /// <summary>liblxc's version string; throws a clear error when liblxc is missing or too old.</summary>
    public static string LxcVersion => LxcLibrary.VersionText;

    private ContainerRef InLxcPath(string name) => new(LxcPath, name);

    /// <summary>An lxc-snap command line for this engine's lxcpath and store, to print for a user to run as it is.</summary>
    internal string LxcSnapCommandLine(params string[] arguments) =>
        CommandText.Of(["lxc-snap", "-P", LxcPath, "--snapshot-path", Store.Path, .. arguments]);

    /// <summary>
    /// Finishes what interrupted lxc-snap runs left in the lxcpath and the store: abandoned
    /// stages are removed (and LXC's dependency records put right), frozen containers thawed.
    /// Every operation that changes anything does this first; this is for callers that decide
    /// what to change from what is listed (pruning).
    /// </summary>
    public void RecoverInterruptedRuns() => Recover(Store.Path, LxcPath);

    /// <summary>The <see cref="RecoverInterruptedRuns"/> of <paramref name="lxcPaths"/>; returns the containers whose destruction it finished.</summary>
    private List<ContainerRef> Recover(params string[] lxcPaths)
    {
        var destroyed = new List<ContainerRef>();
        foreach (var lxcPath in lxcPaths.Distinct(StringComparer.Ordinal))
        {
            foreach (var recovered in Staging.RecoverAbandoned(lxcPath))
            {
                _notice?.Invoke(recovered.Note);
                if (recovered.Destroyed is { } container)
                    destroyed.Add(container);
            }
            foreach (var note in FrozenContainer.ThawAbandoned(lxcPath))
                _notice?.Invoke(note);
        }
        return destroyed;
    }

    /// <summary>
    /// Recovers the staging areas holding copies recorded as depending on
    /// <paramref name="container"/>: a copy killed mid-way elsewhere must not keep it in use.
    /// </summary>
    private void RecoverStagesDependingOn(ContainerRef container) =>
        Recover(Dependencies.Dependents(container).Select(d => LxcSnapDirectory.LxcPathOfStage(d.LxcPath)).OfType<string>().ToArray());

    /// <summary>Opens a container that must exist, or says where it was looked for, or that we may not look.</summary>
    private static LxcContainer OpenExisting(ContainerRef container, LxcSnapError errorWhenMissing, params Remedy[] remedies)
    {
        var missing = () => new LxcSnapException(errorWhenMissing,
            $"no {(errorWhenMissing == LxcSnapError.SnapshotNotFound ? "snapshot" : "container")} {Printable.Quote(container.Name)} in {container.LxcPath}", remedies);
        if (!PathAccess.Exists(container.ConfigFile))
            throw missing();
        RequireReadable(container.ConfigFile);
        LxcContainer lxc;
        try
        {
            lxc = LxcContainer.Open(container);
        }
        catch (LxcSnapException e) when (e.Error == LxcSnapError.LxcFailed && !PathAccess.Exists(container.ConfigFile))
        {
            throw missing(); // removed while liblxc was reading it
        }
        if (lxc.IsDefined)
            return lxc;
        lxc.Dispose();
        throw missing();
    }

    /// <summary>liblxc reports a config it may not read as a container that is not there: ask first.</summary>
    private static void RequireReadable(string file)
    {
        try
        {
            File.OpenHandle(file, FileMode.Open, FileAccess.Read).Dispose();
        }
        catch (UnauthorizedAccessException e)
        {
            throw FileSystemErrors.PermissionDenied(file, e);
        }
        catch (IOException)
        {
            // Gone meanwhile: the caller's next look says so.
        }
    }

    /// <remarks>
    /// Read from the config file, not liblxc: liblxc 5.0.2's get_config_item returns the path with
    /// its storage prefix stripped once the container was loaded ("overlay:" gone), which hides the
    /// backing store.
    /// </remarks>
    private static BackingStore BackingStoreOf(ContainerRef container)
    {
        var rootfs = ContainerConfig.ReadItem(container, "lxc.rootfs.path");
        if (string.IsNullOrEmpty(rootfs))
            throw new LxcSnapException(LxcSnapError.LxcFailed, $"{container} has no lxc.rootfs.path in its config: it names no root filesystem.");
        return BackingStore.Parse(rootfs);
    }

    /// <summary>
    /// Copies <paramref name="source"/> into the staging area with <paramref name="plan"/>: by
    /// lxc-snap's own copy where it can (<see cref="ContainerCopy"/>), else by liblxc's clone,
    /// falling back to a full copy when the store cannot take a native snapshot there; and keeps
    /// only the true storage dependencies of the copy (see <see cref="Dependencies"/>).
    /// </summary>
    private CopyPlan CloneInto(Staging staging, LxcContainer source, CopyPlan plan, CancellationToken cancellation)
    {
        if (plan.OwnCopy && plan.Source is { } backing && ContainerCopy.Handles(source.Ref, backing))
            return CopyContainer(staging, source.Ref, backing, plan, Progress, cancellation);
        try
        {
            source.Clone(staging.Staged, plan.Flags, plan.BackingStoreType, describedAs: staging.Final).Dispose();
        }
        catch (LxcSnapException e) when (e.Error == LxcSnapError.LxcFailed && plan.MayFallBackToFullCopy)
        {
            _notice?.Invoke($"a native snapshot of {source.Ref} is not possible in {staging.Final.LxcPath}; making a full copy instead.");
            TreeRemoval.Remove(staging.Staged.Directory);
            plan = plan.AsFullCopy();
            source.Clone(staging.Staged, plan.Flags, plan.BackingStoreType, describedAs: staging.Final).Dispose();
        }
        CrashPoints.Reach("clone.copied");
        // liblxc records an overlay copy as depending on its source; but the copy's own delta does
        // not, only the lower layer is shared, which may be the source's (lxc-create -B overlay).
        if (plan.Source?.SharesLayerWithin(source.Ref.Directory) != true)
            Dependencies.Forget(staging.Staged, source.Ref);
        Dependencies.Reconcile(source.Ref);
        return plan;
    }

    /// <summary>Our own copy of a dir or overlay container (see <see cref="ContainerCopy"/>); the method used names the plan.</summary>
    private static CopyPlan CopyContainer(Staging staging, ContainerRef source, BackingStore backing, CopyPlan plan,
        Action<Copying.CopyProgress>? progress, CancellationToken cancellation)
    {
        try
        {
            var method = ContainerCopy.Copy(source, backing, staging.Staged,
                keepName: plan.Flags.HasFlag(CloneFlags.KeepName),
                keepMacAddresses: plan.Flags.HasFlag(CloneFlags.KeepMacAddress),
                progress, cancellation);
            CrashPoints.Reach("clone.copied");
            return plan.CopiedBy(method);
        }
        catch (FileSystemCallException e)
        {
            throw FileSystemErrors.From(e);
        }
        catch (IOException e)
        {
            throw new LxcSnapException(LxcSnapError.FilesystemFailed, $"could not copy {source} to {staging.Final.LxcPath}: {e.Message}", e);
        }
    }
}
