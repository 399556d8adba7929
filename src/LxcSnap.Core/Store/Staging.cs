using LxcSnap.Core.Containers;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core.Store;

/// <summary>
/// Builds a container out of sight and publishes it with one rename(2), so that at any instant
/// its final name holds either nothing (or the container it replaces) or the complete new one;
/// and takes a container out of sight with one rename(2) before removing it, so that nothing
/// half-removed is ever listed.
///
/// A stage is <c>LXCPATH/.lxcsnap/staging/ID/NAME</c>: ID is <c>PID.RANDOM</c>, then the same
/// name in a private lxcpath on the same file system. A copy is made there, flushed to disk, its
/// config paths moved to <c>LXCPATH/NAME</c>, and renamed into place: RENAME_NOREPLACE for a new
/// name, RENAME_EXCHANGE to replace a container atomically. A process killed at any point leaves
/// only its stage behind, and the next run finishes or undoes its work (<see cref="RecoverAbandoned"/>).
///
/// What a stage is for is kept in names alone: beside <c>ID</c>, the empty file
/// <c>ID.PURPOSE.NAME</c> (<see cref="Marker"/>), renamed when the purpose changes. Nothing the
/// protocol records needs a free block, because removing a container is how a full disk gets
/// space back: destroying a snapshot, or undoing a copy that did not fit, works with not a byte
/// free.
///
/// Liveness: a stage's owner holds the flock of <c>ID.lock</c> from the moment that file exists
/// until after it is unlinked, so a free lock means a dead owner. Creating a file and locking it
/// are two system calls; so that recovery never sees a stage between them, stages are created
/// while holding the area lock <c>.lxcsnap/staging.lock</c> (never unlinked) shared, and recovery
/// decides what is abandoned while holding it exclusively. A lock file recovery opened just as
/// its owner unlinked it is recognised and left alone (<see cref="FileLock.TryClaim"/>).
/// </summary>
internal sealed class Staging : IDisposable
{
    /// <summary>What a stage is for, kept in its marker's name so that recovery can say what it finishes.</summary>
    private enum Purpose
    {
        /// <summary>A copy being made, to be published under the final name.</summary>
        Publish,
        /// <summary>Published by swapping: the stage now holds the container that was replaced.</summary>
        Replaced,
        /// <summary>A container taken out of sight to be removed.</summary>
        Remove,
    }

    private readonly FileLock _lock;
    private readonly string _stageLxcPath;
    private Purpose _purpose;
    private bool _closed;

    private Staging(ContainerRef final, string stageLxcPath, FileLock heldLock, Purpose purpose)
    {
        Final = final;
        _stageLxcPath = stageLxcPath;
        _lock = heldLock;
        _purpose = purpose;
    }

    /// <summary>Where the container will be published (or where it was, for a removal).</summary>
    public ContainerRef Final { get; }

    /// <summary>Where liblxc builds it: clone into this.</summary>
    public ContainerRef Staged => new(_stageLxcPath, Final.Name);

    /// <summary>A new, empty stage for a copy that will be published as <paramref name="final"/>.</summary>
    public static Staging Begin(ContainerRef final) => Create(final, Purpose.Publish);

    /// <summary>
    /// Moves <paramref name="existing"/> into a new stage with one rename(2): from then on no
    /// listing shows it, and <see cref="Close"/> (or, if we are killed, the next run) removes it.
    /// </summary>
    public static Staging TakeOutOfSight(ContainerRef existing)
    {
        var stage = Create(existing, Purpose.Remove);
        try
        {
            if (LibcNative.renameat2(LibcNative.AtCurrentDirectory, existing.Directory, LibcNative.AtCurrentDirectory, stage.Staged.Directory,
                    (uint)LibcNative.RenameNoReplace) != 0)
            {
                throw FileSystemErrors.From(new FileSystemCallException("move out of sight", existing.Directory, ErrnoExtensions.LastError()));
            }
            DurableFile.SyncDirectory(existing.LxcPath);
            CrashPoints.Reach("remove.moved");
            return stage;
        }
        catch
        {
            stage.Dispose();
            throw;
        }
    }

    private static Staging Create(ContainerRef final, Purpose purpose)
    {
        var root = LxcSnapDirectory.Staging(final.LxcPath);
        LxcSnapDirectory.Create(root);
        var id = $"{Environment.ProcessId}.{Convert.ToHexString(Guid.NewGuid().ToByteArray(), 0, 4).ToLowerInvariant()}";
        var stageLxcPath = Path.Combine(root, id);
        FileLock heldLock;
        using (FileLock.Acquire(LxcSnapDirectory.StagingAreaLock(final.LxcPath), shared: true))
            heldLock = FileLock.CreateHeld(stageLxcPath + ".lock");
        try
        {
            CrashPoints.Reach("stage.locked");
            new FileStream(Marker(stageLxcPath, purpose, final.Name),
                new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = DurableFile.NewFileMode }).Dispose();
            Directory.CreateDirectory(stageLxcPath);
            CrashPoints.Reach("stage.created");
            return new Staging(final, stageLxcPath, heldLock, purpose);
        }
        catch
        {
            heldLock.DeleteAndRelease();
            throw;
        }
    }

    /// <summary>
    /// Makes the staged container durable and moves it to its final name. With
    /// <paramref name="replaceExisting"/> an existing container there is swapped out atomically
    /// and then removed by <see cref="Close"/>; without it an existing one is an error and nothing
    /// changes.
    /// </summary>
    /// <param name="rootfsDurable">
    /// The copy's rootfs is on disk already, in subvolumes of its own (see
    /// <see cref="Snapshots.CopyPlan.RootfsDurableWhenCopied"/>): only the files and directories
    /// around it are flushed, not the whole file system.
    /// </param>
    /// <returns>True when a container was replaced.</returns>
    public bool Publish(bool replaceExisting, bool rootfsDurable = false)
    {
        ContainerConfig.RelocatePaths(Staged, Staged.Directory, Final.Directory);
        // The layers the copy shares list it under its final name before it appears there, so
        // that LXC refuses to destroy them from the first instant the copy can be seen.
        foreach (var dependency in Dependencies.DependsOn(Staged))
            Dependencies.Register(dependency, Final);
        CrashPoints.Reach("publish.registered");
        if (rootfsDurable)
            DurableFile.SyncTreeOutsideSubvolumes(Staged.Directory);
        else
            DurableFile.SyncFileSystem(Staged.Directory);
        CrashPoints.Reach("publish.synced");

        var replacing = replaceExisting && PathAccess.Exists(Final.Directory);
        var flags = replacing ? LibcNative.RenameExchange : LibcNative.RenameNoReplace;
        if (LibcNative.renameat2(LibcNative.AtCurrentDirectory, Staged.Directory, LibcNative.AtCurrentDirectory, Final.Directory, (uint)flags) != 0)
        {
            var errno = ErrnoExtensions.LastError();
            ContainerConfig.RelocatePaths(Staged, Final.Directory, Staged.Directory);
            if (errno == Errno.EEXIST || (errno == Errno.ENOTEMPTY && !replacing))
                throw new LxcSnapException(LxcSnapError.TargetExists, $"{Final} appeared while it was being made; nothing was changed.");
            throw FileSystemErrors.From(new FileSystemCallException("move the finished copy into place as", Final.Directory, errno));
        }
        CrashPoints.Reach("publish.renamed");
        DurableFile.SyncDirectory(Final.LxcPath);

        if (replacing)
        {
            // The replaced container now sits where the stage was, its config still naming the
            // final directory (Close removes it, see TryDiscard). The swap is done: a marker that
            // could not be renamed only makes recovery call it an unfinished copy.
            if (LibcNative.renameat2(LibcNative.AtCurrentDirectory, Marker(_stageLxcPath, _purpose, Final.Name),
                    LibcNative.AtCurrentDirectory, Marker(_stageLxcPath, Purpose.Replaced, Final.Name), (uint)LibcNative.RenameNoReplace) == 0)
                _purpose = Purpose.Replaced;
            CrashPoints.Reach("publish.exchanged");
        }
        return replacing;
    }

    /// <summary>
    /// Removes whatever the stage holds (nothing after publishing a new name, the replaced
    /// container after a swap, the container taken out of sight), drops its staged name from
    /// LXC's dependency records, and releases the stage. The operation is done whatever happens
    /// here: what cannot be removed now stays for the next run's recovery and is reported to
    /// <paramref name="notice"/>.
    /// </summary>
    public void Close(Action<string>? notice)
    {
        if (_closed)
            return;
        _closed = true;
        if (TryDiscard(_stageLxcPath, Final) is { } problem)
        {
            notice?.Invoke($"could not remove {Describe(_purpose, Final)} yet ({problem}); the next lxc-snap run removes it.");
            _lock.Dispose(); // its lock file stays: the next run sees a stage nobody holds
            return;
        }
        File.Delete(Marker(_stageLxcPath, _purpose, Final.Name));
        _lock.DeleteAndRelease();
    }

    /// <summary><see cref="Close"/> without a report: for a stage left by an exception, which the caller reports.</summary>
    public void Dispose() => Close(notice: null);

    /// <summary>What recovery did with one abandoned stage.</summary>
    /// <param name="Note">For people: what was removed, or why it could not be yet.</param>
    /// <param name="Destroyed">The container whose interrupted destruction was finished, if that is what the stage was.</param>
    public sealed record Recovered(string Note, ContainerRef? Destroyed);

    /// <summary>
    /// Removes the stages under <paramref name="lxcPath"/> whose owner died (killed, machine
    /// reset), finishing what each was doing: an unfinished copy is discarded, a replaced or
    /// half-removed container is removed, and LXC's dependency records are put right. Says
    /// what it did, one entry per stage.
    /// </summary>
    public static IReadOnlyList<Recovered> RecoverAbandoned(string lxcPath)
    {
        var root = LxcSnapDirectory.Staging(lxcPath);
        if (!PathAccess.Exists(root))
            return [];
        var claimed = new List<FileLock>();
        var orphans = new List<string>();
        using (FileLock.Acquire(LxcSnapDirectory.StagingAreaLock(lxcPath)))
        {
            foreach (var lockFile in Directory.EnumerateFiles(root, "*.lock"))
            {
                if (FileLock.TryClaim(lockFile) is { } abandoned)
                    claimed.Add(abandoned);
            }
            // A stage's lock file exists before its directory and marker and outlives them, so
            // these, without their lock file, belong to nobody.
            orphans.AddRange(Directory.EnumerateFileSystemEntries(root)
                .Where(entry => !entry.EndsWith(".lock", StringComparison.Ordinal))
                .Where(entry => !File.Exists(StageOf(entry) + ".lock")));
        }

        var results = new List<Recovered>();
        foreach (var abandoned in claimed)
        {
            var stageLxcPath = abandoned.Path[..^".lock".Length];
            var (marker, purpose, final) = ReadMarker(stageLxcPath, lxcPath);
            var problem = final is null ? RemoveTree(stageLxcPath) : TryDiscard(stageLxcPath, final);
            if (problem is null)
            {
                if (marker is not null)
                    File.Delete(marker);
                abandoned.DeleteAndRelease();
                results.Add(new Recovered($"removed {Describe(purpose, final)}, left by an interrupted lxc-snap in {lxcPath}",
                    purpose == Purpose.Remove ? final : null));
            }
            else
            {
                abandoned.Dispose();
                results.Add(new Recovered($"could not remove {Describe(purpose, final)}, left by an interrupted lxc-snap in {lxcPath}, yet: {problem}", null));
            }
        }
        foreach (var orphan in orphans)
            RemoveTree(orphan);
        return results;
    }

    /// <summary>
    /// The stage an entry of the staging area belongs to: every name there starts with its
    /// stage's ID, <c>PID.RANDOM</c> (<c>ID</c>, <c>ID.lock</c>, <c>ID.PURPOSE.NAME</c>).
    /// </summary>
    private static string StageOf(string entry)
    {
        var name = Path.GetFileName(entry);
        var first = name.IndexOf('.');
        var second = first < 0 ? -1 : name.IndexOf('.', first + 1);
        return second < 0 ? entry : Path.Combine(Path.GetDirectoryName(entry)!, name[..second]);
    }

    /// <summary>What a stage holds, for people: "the unfinished copy of 'web_3'".</summary>
    private static string Describe(Purpose purpose, ContainerRef? final)
    {
        var name = final is null ? "a container" : $"'{final.Name}'";
        return purpose switch
        {
            Purpose.Replaced => $"the replaced copy of {name}",
            Purpose.Remove => $"the half-destroyed {name}",
            _ => $"the unfinished copy of {name}",
        };
    }

    /// <summary>
    /// Removes the stage's container and directory; returns why not, or null when it is all gone.
    /// LXC's dependency records are put right first, while the container still says what it
    /// shares storage with: its staged name is dropped from them, and the final name is kept
    /// only if what holds it now (or nothing) shares the layer (a copy published just before its
    /// owner died is still listed under its staged name there). Killed after that, the next run
    /// has only files to remove.
    /// </summary>
    private static string? TryDiscard(string stageLxcPath, ContainerRef final)
    {
        try
        {
            var staged = new ContainerRef(stageLxcPath, final.Name);
            var dependsOn = final.ConfigExists ? Dependencies.DependsOn(final).ToList() : [];
            // liblxc records a clone's dependencies before it writes its config: a copy killed in
            // between has the one without the other.
            dependsOn.AddRange(Dependencies.DependsOn(staged));
            foreach (var dependency in dependsOn.DistinctBy(d => d.Directory))
                Dependencies.Reconcile(dependency, departing: staged, verify: final);
            CrashPoints.Reach("discard.reconciled");
            if (PathAccess.Exists(staged.Directory))
            {
                ContainerRemoval.Discard(staged, configuredAt: final.Directory);
                CrashPoints.Reach("discard.removed");
            }
            var problem = RemoveTree(stageLxcPath);
            if (problem is null)
                LxcDiskLock.ForgetLxcPath(stageLxcPath);
            return problem;
        }
        catch (Exception e) when (e is LxcSnapException or IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    private static string? RemoveTree(string path)
    {
        try
        {
            TreeRemoval.Remove(path);
            return null;
        }
        catch (Exception e) when (e is LxcSnapException or IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// The stage's marker: an empty file whose name says what the stage is for and the name of
    /// the container it is for, whose lxcpath is the one the staging area belongs to. Unflushed
    /// is enough: a stage whose marker was lost in a crash is removed whole, and a dependency
    /// record naming a copy that is gone is dropped by any later reconciliation of it.
    /// </summary>
    private static string Marker(string stageLxcPath, Purpose purpose, string name) =>
        $"{stageLxcPath}.{purpose.ToString().ToLowerInvariant()}.{name}";

    /// <summary>The marker of the stage at <paramref name="stageLxcPath"/>, what it says, and the container it is for; nulls when there is none.</summary>
    private static (string? Marker, Purpose Purpose, ContainerRef? Final) ReadMarker(string stageLxcPath, string lxcPath)
    {
        var id = Path.GetFileName(stageLxcPath);
        foreach (var marker in Directory.EnumerateFiles(Path.GetDirectoryName(stageLxcPath)!, id + ".*"))
        {
            var rest = Path.GetFileName(marker)[(id.Length + 1)..];
            var dot = rest.IndexOf('.');
            if (dot > 0 && Enum.TryParse<Purpose>(rest[..dot], ignoreCase: true, out var purpose) && ContainerName.Problem(rest[(dot + 1)..]) is null)
                return (marker, purpose, new ContainerRef(lxcPath, rest[(dot + 1)..]));
        }
        return (null, Purpose.Publish, null);
    }
}
