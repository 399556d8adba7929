namespace LxcSnap.Core.Provisioning;

/// <summary>How provisioning ended, as the front-end that ran it saw it.</summary>
public enum ProvisioningResult
{
    /// <summary>Provisioning succeeded and nothing asked it to stop: the after snapshot is taken.</summary>
    Succeeded,
    /// <summary>Provisioning failed: the container is restored to its before snapshot.</summary>
    Failed,
    /// <summary>A stop was asked for (Ctrl+C, SIGTERM, a cancelled build or job): restored, never recorded as success.</summary>
    Cancelled,
    /// <summary>
    /// Nothing was run and nothing snapshotted: the request's inputs are those of the label's last
    /// successful provisioning (<see cref="ProvisioningRequest.SkipIfUnchanged"/>). Never passed to End.
    /// </summary>
    Skipped,
}

/// <summary>What an interrupted run with the same label, left open, means to <see cref="IProvisioningSteps.Begin"/>.</summary>
public enum OpenTransactionPolicy
{
    /// <summary>Refuse to begin while the container has an open transaction (lxc-snap begin).</summary>
    Refuse,
    /// <summary>Abandon the open transaction, its before snapshot kept (begin --replace; the action's replace-open).</summary>
    Abandon,
    /// <summary>
    /// Restore the container to the before snapshot of an open transaction with the same label
    /// first: for hosts that begin with the same label every run (MSBuild, NUKE), where one left
    /// open can only be from a run that died.
    /// </summary>
    RecoverSameLabel,
}

/// <summary>One provisioning transaction as a front-end asks for it.</summary>
/// <param name="Container">The container provisioning changes.</param>
/// <param name="Label">The transaction's label; <see cref="ProvisioningTransactions.DefaultLabel"/> when null.</param>
/// <param name="KeepFailed">On failure or cancellation, snapshot the failed state before restoring.</param>
/// <param name="Keep">After success, prune the container's snapshots to the newest N (1 or more), by the rules of prune.</param>
/// <param name="InputsHash">A fingerprint of what provisioning is given, recorded with the transaction (<see cref="ProvisioningRecord.InputsHash"/>).</param>
/// <param name="SkipIfUnchanged">
/// Begin nothing when <paramref name="InputsHash"/> is that of the label's newest transaction, which
/// succeeded and whose after snapshot still exists (<see cref="ProvisioningTransactions.UnchangedSince"/>).
/// </param>
public sealed record ProvisioningRequest(string Container, string? Label = null, bool KeepFailed = false,
    OpenTransactionPolicy OpenTransaction = OpenTransactionPolicy.Refuse, int? Keep = null,
    string? InputsHash = null, bool SkipIfUnchanged = false)
{
    /// <summary>Throws <see cref="LxcSnapError.InvalidArgument"/> unless <paramref name="keep"/> is null or 1 or more: checked before the before snapshot.</summary>
    public static void ValidateKeep(int? keep)
    {
        if (keep < 1)
            throw new LxcSnapException(LxcSnapError.InvalidArgument, $"the snapshots to keep after provisioning must be 1 or more (the after snapshot is the newest), not {keep}.");
    }
}

/// <summary>What beginning a transaction did.</summary>
/// <param name="Transaction">The transaction begun; when <paramref name="UpToDate"/>, the earlier successful one that makes provisioning unnecessary.</param>
/// <param name="RolledBackFirst">The interrupted transaction with the same label that was rolled back first, if any.</param>
/// <param name="UpToDate">Nothing was begun: the inputs are unchanged since <paramref name="Transaction"/> (<see cref="ProvisioningRequest.SkipIfUnchanged"/>).</param>
public sealed record BeginResult(ProvisioningRecord Transaction, ProvisioningRecord? RolledBackFirst = null, bool UpToDate = false);

/// <summary>
/// The two steps of a provisioning transaction, done in this process (<see cref="ProvisioningTransactions"/>)
/// or by an lxc-snap process (<see cref="LxcSnapClient"/>, for build hosts, which must never fork
/// liblxc inside themselves).
/// </summary>
public interface IProvisioningSteps
{
    /// <summary>Takes the before snapshot and opens the transaction, unless it is up to date (<see cref="ProvisioningRequest.SkipIfUnchanged"/>).</summary>
    BeginResult Begin(ProvisioningRequest request, CancellationToken cancellation);

    /// <summary>Ends the open transaction: the after snapshot for <see cref="ProvisioningResult.Succeeded"/>, the restore otherwise.</summary>
    ProvisioningRecord EndWith(ProvisioningRequest request, ProvisioningResult result);
}

/// <summary>
/// The provisioning sequence, written once for every front-end (lxc-snap run, the MSBuild guard,
/// the NUKE component, the GitHub Action): the before snapshot; provisioning; then the after
/// snapshot only when provisioning succeeded and no stop was asked for, else the restore, which
/// no cancellation cuts short. A host that runs provisioning itself (MSBuild's targets, NUKE's,
/// the job's steps) calls <see cref="Begin"/> and <see cref="End"/> around it and judges the
/// result with <see cref="Judge"/>; one that hands provisioning over as a function calls
/// <see cref="Run"/>.
/// </summary>
public sealed class ProvisioningRunner(IProvisioningSteps steps)
{
    public BeginResult Begin(ProvisioningRequest request, CancellationToken cancellation = default)
    {
        ProvisioningRequest.ValidateKeep(request.Keep);
        return steps.Begin(request, cancellation);
    }

    /// <summary>Ends the transaction with <paramref name="result"/>; not cancellable: a half-done restore helps nobody.</summary>
    public ProvisioningRecord End(ProvisioningRequest request, ProvisioningResult result) =>
        result == ProvisioningResult.Skipped
            ? throw new ArgumentException("a skipped provisioning began no transaction to end", nameof(result))
            : steps.EndWith(request, result);

    /// <summary>
    /// The one rule: a stop asked for during provisioning is a cancellation whatever provisioning
    /// returned (a command killed by our own SIGTERM may still exit 0); success needs both.
    /// </summary>
    public static ProvisioningResult Judge(bool provisioned, bool stopRequested) =>
        stopRequested ? ProvisioningResult.Cancelled : provisioned ? ProvisioningResult.Succeeded : ProvisioningResult.Failed;

    /// <summary>
    /// Begins, runs <paramref name="provision"/>, and ends as <see cref="Judge"/> says; an exception
    /// from <paramref name="provision"/> fails (and restores) before it is rethrown. When the
    /// transaction is up to date nothing runs: the earlier transaction comes back, <see cref="ProvisioningResult.Skipped"/>.
    /// </summary>
    public (ProvisioningRecord Ended, ProvisioningResult Result) Run(ProvisioningRequest request, Func<ProvisioningRecord, CancellationToken, bool> provision,
        CancellationToken cancellation = default)
    {
        var (begun, _, upToDate) = Begin(request, cancellation);
        if (upToDate)
            return (begun, ProvisioningResult.Skipped);
        bool provisioned;
        try
        {
            provisioned = provision(begun, cancellation);
        }
        catch
        {
            End(request, Judge(provisioned: false, cancellation.IsCancellationRequested));
            throw;
        }
        var result = Judge(provisioned, cancellation.IsCancellationRequested);
        return (End(request, result), result);
    }
}
