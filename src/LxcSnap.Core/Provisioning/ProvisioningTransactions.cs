using System.Globalization;
using LxcSnap.Core.Containers;
using LxcSnap.Core.Retention;
using LxcSnap.Core.Snapshots;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Provisioning;

/// <summary>
/// Guards provisioning of a container: a snapshot before, a snapshot after success, and the
/// container put back to the before snapshot on failure. A transaction is kept in the store, so
/// it can be begun and ended in one process (<see cref="Run"/>, <see cref="BeginScope"/>) or in
/// different ones (<see cref="Begin"/>, then <see cref="Succeed"/> or <see cref="Fail"/>). These
/// are the in-process steps of <see cref="ProvisioningRunner"/>, which holds the sequence.
/// </summary>
public sealed class ProvisioningTransactions : IProvisioningSteps
{
    /// <summary>The label used when the caller gives none.</summary>
    public const string DefaultLabel = "provisioning";

    private const int MaxLabelLength = 200;
    private const int MaxInputsHashLength = 200;

    private readonly SnapshotEngine _engine;
    private readonly ProvisioningJournal _journal;
    private readonly Action<string>? _notice;

    public ProvisioningTransactions(SnapshotEngine engine, Action<string>? notice = null)
    {
        _engine = engine;
        _journal = new ProvisioningJournal(engine.Store, notice);
        _notice = notice;
    }

    /// <summary>
    /// Takes the before snapshot and records the open transaction. Refused while the container
    /// has an open transaction, unless <paramref name="replaceOpen"/> (the old one is then
    /// recorded as abandoned; its before snapshot stays).
    /// </summary>
    public ProvisioningRecord Begin(string container, string? label = null, bool replaceOpen = false, CancellationToken cancellation = default) =>
        Open(container, label, replaceOpen, inputsHash: null, cancellation);

    /// <summary>
    /// <see cref="Begin(string, string?, bool, CancellationToken)"/> for build systems that begin a
    /// transaction with the same label on every run (<see cref="OpenTransactionPolicy.RecoverSameLabel"/>).
    /// </summary>
    /// <returns>The new transaction, and the interrupted one that was rolled back first, if any.</returns>
    public (ProvisioningRecord Begun, ProvisioningRecord? RolledBack) BeginRecovering(string container, string? label = null,
        CancellationToken cancellation = default)
    {
        var (begun, rolledBack, _) = Begin(new ProvisioningRequest(container, label, OpenTransaction: OpenTransactionPolicy.RecoverSameLabel), cancellation);
        return (begun, rolledBack);
    }

    /// <summary>
    /// Begins the transaction <paramref name="request"/> asks for: nothing when it is up to date
    /// (<see cref="ProvisioningRequest.SkipIfUnchanged"/>); else, by its <see cref="OpenTransactionPolicy"/>,
    /// refusing, abandoning or first rolling back an open transaction, then the before snapshot.
    /// An open transaction with the request's label under <see cref="OpenTransactionPolicy.RecoverSameLabel"/>
    /// can only be left by a run that died before it ended (killed, machine reset), so the container
    /// is first restored to that transaction's before snapshot; one with another label is still refused.
    /// </summary>
    public BeginResult Begin(ProvisioningRequest request, CancellationToken cancellation = default)
    {
        var container = request.Container;
        if (request.SkipIfUnchanged)
        {
            var inputsHash = request.InputsHash
                ?? throw new LxcSnapException(LxcSnapError.InvalidArgument, "skipping unchanged provisioning needs a fingerprint of its inputs to compare.");
            if (UnchangedSince(container, request.Label, inputsHash) is { } done)
                return new BeginResult(done, UpToDate: true);
        }
        ProvisioningRecord? rolledBack = null;
        if (request.OpenTransaction == OpenTransactionPolicy.RecoverSameLabel && FindOpen(container, request.Label) is { } interrupted)
        {
            rolledBack = Fail(container, interrupted.Label);
            _notice?.Invoke($"an earlier run was interrupted while provisioning '{interrupted.Label}' of {container}: restored it to {interrupted.Before} first.");
        }
        var begun = Open(container, request.Label, replaceOpen: request.OpenTransaction == OpenTransactionPolicy.Abandon, request.InputsHash, cancellation);
        return new BeginResult(begun, rolledBack);
    }

    /// <summary>
    /// The transaction that makes provisioning <paramref name="container"/> again with
    /// <paramref name="label"/> and <paramref name="inputsHash"/> unnecessary, or null. Only the
    /// container's newest transaction counts, and only when it is this label's, succeeded with the
    /// same inputs, its after snapshot still exists and the container's directory is the one it
    /// snapshotted (a restore or a re-creation replaces it). So a failed or interrupted run since, a
    /// run of another label, a restore or a destroyed after snapshot all provision again: skipping is
    /// the exception, never the risk. What changes a container from inside (lxc-attach) is not seen.
    /// </summary>
    public ProvisioningRecord? UnchangedSince(string container, string? label, string inputsHash)
    {
        label = ValidateLabel(label);
        ValidateInputsHash(inputsHash);
        var history = History(container);
        var newest = history.Count > 0 ? history[^1] : null;
        return newest is { Outcome: ProvisioningOutcome.Succeeded, After: { } after, ContainerDirectory: { } directory }
               && newest.Label == label
               && newest.InputsHash == inputsHash
               && newest.LxcPath == _engine.LxcPath
               && directory == ContainerDirectoryOf(container)
               && SnapshotName.TryParse(after, out var afterName) && _engine.Store.Find(afterName) is not null
            ? newest
            : null;
    }

    /// <summary>What identifies the container's directory (<see cref="ProvisioningRecord.ContainerDirectory"/>); null when there is none.</summary>
    private string? ContainerDirectoryOf(string container) =>
        Interop.PosixFiles.TryStat(new ContainerRef(_engine.LxcPath, container).Directory, out _) is { Kind: Interop.FileKind.Directory } status
            ? string.Create(CultureInfo.InvariantCulture,
                $"{status.Identity.Device}:{status.Identity.Inode}:{status.ModificationTime.Seconds}.{status.ModificationTime.Nanoseconds:D9}")
            : null;

    private ProvisioningRecord Open(string container, string? label, bool replaceOpen, string? inputsHash, CancellationToken cancellation)
    {
        label = ValidateLabel(label);
        if (inputsHash is not null)
            ValidateInputsHash(inputsHash);
        _engine.RequireContainer(container); // before the journal lock creates anything in the store
        using var journalLock = _journal.Lock(container);
        var open = _journal.Open(container);
        if (open.Count > 0 && !replaceOpen)
        {
            var existing = open[0];
            throw new LxcSnapException(LxcSnapError.TransactionConflict,
                $"container '{container}' already has an open provisioning transaction '{existing.Label}' (begun {existing.StartedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}, before snapshot {existing.Before})",
                [
                    new Remedy.RunCommand(_engine.LxcSnapCommandLine("end", container, "--label", existing.Label, "--failure"), $"ends it and restores {existing.Before}"),
                    new Remedy.RunCommand(_engine.LxcSnapCommandLine("end", container, "--label", existing.Label, "--success"), "ends it and keeps the container as it is"),
                    new Remedy.AbandonOpenTransaction(),
                ]);
        }

        var id = NewId();
        var before = _engine.Snapshot(container, Comment($"lxc-snap: before provisioning '{label}' (transaction {id})"), allowRunning: true, cancellation);
        CrashPoints.Reach("begin.snapshotted");
        foreach (var abandoned in open)
        {
            _journal.Save(abandoned with { Outcome = ProvisioningOutcome.Abandoned, EndedAt = DateTimeOffset.Now });
            _notice?.Invoke($"abandoned the open transaction '{abandoned.Label}' of {container} (its before snapshot {abandoned.Before} stays).");
        }
        var record = new ProvisioningRecord
        {
            Id = id,
            Container = container,
            LxcPath = _engine.LxcPath,
            Label = label,
            Outcome = ProvisioningOutcome.Open,
            Before = before.Snapshot.Name.ToString(),
            InputsHash = inputsHash,
            StartedAt = DateTimeOffset.Now,
        };
        _journal.Save(record);
        return record;
    }

    /// <summary>
    /// Provisioning succeeded: takes the after snapshot and closes the transaction; then, with
    /// <paramref name="keep"/>, prunes the container's snapshots to the newest that many by the
    /// rules of prune (never the before snapshot of an open transaction, never one another container
    /// depends on), and says which it destroyed in <see cref="ProvisioningRecord.Pruned"/>.
    /// </summary>
    public ProvisioningRecord Succeed(string container, string? label = null, int? keep = null)
    {
        ProvisioningRequest.ValidateKeep(keep);
        var closed = CloseSucceeded(container, label);
        if (keep is not { } newest)
            return closed;
        // After the journal's lock is released: pruning reads the journal for open transactions.
        var decisions = new SnapshotPruner(_engine, this).Prune(container, new PrunePolicy(newest, null), dryRun: false);
        return closed with { Pruned = decisions.Where(d => d.Remove).Select(d => d.Snapshot.Name.ToString()).ToList() };
    }

    private ProvisioningRecord CloseSucceeded(string container, string? label)
    {
        ContainerName.Validate(container, "container");
        label = ValidateLabel(label);
        using var journalLock = _journal.Lock(container);
        var record = FindOpenOrThrow(container, label);
        var after = _engine.Snapshot(container, Comment($"lxc-snap: after provisioning '{label}' succeeded (transaction {record.Id})"), allowRunning: true);
        CrashPoints.Reach("succeed.snapshotted");
        var closed = record with
        {
            Outcome = ProvisioningOutcome.Succeeded,
            After = after.Snapshot.Name.ToString(),
            ContainerDirectory = ContainerDirectoryOf(container),
            EndedAt = DateTimeOffset.Now,
        };
        _journal.Save(closed);
        return closed;
    }

    /// <summary>
    /// Provisioning failed: puts the container back to its before snapshot. A running container
    /// is stopped for the restore and started again afterwards. With <paramref name="keepFailed"/>
    /// the failed state is snapshotted first, for a post-mortem. If the restore fails the container
    /// is left as it was and the error names the before snapshot.
    /// </summary>
    public ProvisioningRecord Fail(string container, string? label = null, bool keepFailed = false)
    {
        ContainerName.Validate(container, "container");
        label = ValidateLabel(label);
        using var journalLock = _journal.Lock(container);
        var record = FindOpenOrThrow(container, label);
        var target = new ContainerRef(_engine.LxcPath, container);
        var exists = target.ConfigExists;
        var wasRunning = exists && ContainerLifecycle.IsRunning(target);

        string? failedState = null;
        if (keepFailed && exists)
        {
            failedState = _engine.Snapshot(container, Comment($"lxc-snap: failed state of provisioning '{label}' (transaction {record.Id})"), allowRunning: true)
                .Snapshot.Name.ToString();
        }

        try
        {
            if (wasRunning)
                ContainerLifecycle.Stop(target);
            _engine.Restore(record.Before, container, force: true);
        }
        catch (LxcSnapException e)
        {
            _journal.Save(record with
            {
                Outcome = ProvisioningOutcome.RollbackFailed,
                FailedState = failedState,
                EndedAt = DateTimeOffset.Now,
                Error = e.Message,
            });
            RestartIfItWasRunning(target, wasRunning);
            throw new LxcSnapException(LxcSnapError.RollbackFailed,
                $"provisioning '{label}' of '{container}' failed and the container could not be restored, so it was left as it was: {e.Message}\n" +
                $"Its before snapshot is {record.Before}",
                [new Remedy.RunCommand(_engine.LxcSnapCommandLine("-r", record.Before, container, "--force"), "restores it")], e);
        }

        CrashPoints.Reach("fail.restored");
        if (wasRunning)
            ContainerLifecycle.Start(target);
        var closed = record with
        {
            Outcome = ProvisioningOutcome.RolledBack,
            FailedState = failedState,
            EndedAt = DateTimeOffset.Now,
        };
        _journal.Save(closed);
        return closed;
    }

    /// <summary>
    /// Runs <paramref name="provision"/> inside a transaction, as <see cref="ProvisioningRunner.Run"/>
    /// does: succeed when it returns true and <paramref name="cancellation"/> did not fire, else
    /// restore. Exceptions from <paramref name="provision"/> are rethrown after the restore.
    /// </summary>
    public ProvisioningRecord Run(string container, Func<CancellationToken, bool> provision, string? label = null,
        bool keepFailed = false, CancellationToken cancellation = default) =>
        new ProvisioningRunner(this).Run(new ProvisioningRequest(container, label, keepFailed), (_, token) => provision(token), cancellation).Ended;

    ProvisioningRecord IProvisioningSteps.EndWith(ProvisioningRequest request, ProvisioningResult result) =>
        result == ProvisioningResult.Succeeded
            ? Succeed(request.Container, request.Label, request.Keep)
            : Fail(request.Container, request.Label, request.KeepFailed);

    /// <summary>
    /// Begins a transaction as a scope: call <see cref="ProvisioningScope.Complete"/> when
    /// provisioning succeeded; disposing an uncompleted scope rolls back.
    /// </summary>
    public ProvisioningScope BeginScope(string container, string? label = null, bool keepFailed = false) =>
        new(this, Begin(container, label), keepFailed);

    /// <summary>All transactions of <paramref name="container"/>, oldest first.</summary>
    public IReadOnlyList<ProvisioningRecord> History(string container) => _journal.All(ContainerName.Validate(container, "container"));

    /// <summary>The open transaction of <paramref name="container"/> with <paramref name="label"/>, if any.</summary>
    public ProvisioningRecord? FindOpen(string container, string? label = null)
    {
        label = ValidateLabel(label);
        return _journal.Open(ContainerName.Validate(container, "container")).LastOrDefault(r => r.Label == label);
    }

    /// <summary>For each snapshot of <paramref name="container"/> that a transaction took, its part in it.</summary>
    public IReadOnlyDictionary<string, SnapshotRole> Roles(string container)
    {
        var roles = new Dictionary<string, SnapshotRole>(StringComparer.Ordinal);
        foreach (var record in History(container))
        {
            roles[record.Before] = new SnapshotRole(record, ProvisioningStep.Before);
            if (record.After is not null)
                roles[record.After] = new SnapshotRole(record, ProvisioningStep.After);
            if (record.FailedState is not null)
                roles[record.FailedState] = new SnapshotRole(record, ProvisioningStep.FailedState);
        }
        return roles;
    }

    /// <summary>The before snapshots of open transactions: pruning must never remove them.</summary>
    public IReadOnlySet<string> SnapshotsOfOpenTransactions(string container) =>
        _journal.Open(container).Select(r => r.Before).ToHashSet(StringComparer.Ordinal);

    private ProvisioningRecord FindOpenOrThrow(string container, string label)
    {
        var record = _journal.Open(container).LastOrDefault(r => r.Label == label);
        if (record is null)
        {
            var open = _journal.Open(container);
            Remedy hint = open.Count == 0
                ? new Remedy.RunCommand(_engine.LxcSnapCommandLine("begin", container, "--label", label), "begins one")
                : new Remedy.Advice($"its open transaction is labelled '{open[0].Label}'");
            throw new LxcSnapException(LxcSnapError.TransactionNotFound, $"container '{container}' has no open provisioning transaction '{label}'", [hint]);
        }
        if (record.LxcPath != _engine.LxcPath)
        {
            throw new LxcSnapException(LxcSnapError.InvalidArgument,
                $"the transaction '{label}' of '{container}' was begun for lxcpath {record.LxcPath}, not {_engine.LxcPath}", [new Remedy.ChooseLxcPath(record.LxcPath)]);
        }
        return record;
    }

    private static void RestartIfItWasRunning(ContainerRef container, bool wasRunning)
    {
        if (!wasRunning)
            return;
        try
        {
            if (container.ConfigExists && !ContainerLifecycle.IsRunning(container))
                ContainerLifecycle.Start(container);
        }
        catch (LxcSnapException)
        {
            // The rollback error already tells the user what to do; a failed restart adds nothing.
        }
    }

    private static SnapshotComment Comment(string line) => SnapshotComment.FromText(line + "\n");

    private static string ValidateLabel(string? label)
    {
        label = string.IsNullOrWhiteSpace(label) ? DefaultLabel : label.Trim();
        if (label.Length > MaxLabelLength || label.Any(char.IsControl))
        {
            throw new LxcSnapException(LxcSnapError.InvalidArgument,
                $"invalid label {Printable.Quote(label)}: a label is one line of at most {MaxLabelLength} characters.");
        }
        return label;
    }

    /// <summary>A fingerprint is the host's to make (a hash, a version): one printable line, short enough to read in a listing.</summary>
    private static void ValidateInputsHash(string inputsHash)
    {
        if (inputsHash.Length is 0 or > MaxInputsHashLength || inputsHash.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw new LxcSnapException(LxcSnapError.InvalidArgument,
                $"invalid inputs fingerprint {Printable.Quote(inputsHash)}: it is one word of at most {MaxInputsHashLength} printable characters, such as sha256:4f2a...");
        }
    }

    private static string NewId() =>
        DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + "-" +
        Convert.ToHexString(Guid.NewGuid().ToByteArray(), 0, 3).ToLowerInvariant();
}

/// <summary>A provisioning transaction as a <c>using</c> scope.</summary>
public sealed class ProvisioningScope : IDisposable
{
    private readonly ProvisioningTransactions _transactions;
    private readonly bool _keepFailed;

    internal ProvisioningScope(ProvisioningTransactions transactions, ProvisioningRecord begun, bool keepFailed)
    {
        _transactions = transactions;
        Record = begun;
        _keepFailed = keepFailed;
    }

    /// <summary>The transaction as it stands: open until completed or disposed.</summary>
    public ProvisioningRecord Record { get; private set; }

    /// <summary>Provisioning succeeded: takes the after snapshot.</summary>
    public ProvisioningRecord Complete()
    {
        if (Record.Outcome == ProvisioningOutcome.Open)
            Record = _transactions.Succeed(Record.Container, Record.Label);
        return Record;
    }

    /// <summary>Rolls back unless <see cref="Complete"/> was called.</summary>
    public void Dispose()
    {
        if (Record.Outcome == ProvisioningOutcome.Open)
            Record = _transactions.Fail(Record.Container, Record.Label, _keepFailed);
    }
}
