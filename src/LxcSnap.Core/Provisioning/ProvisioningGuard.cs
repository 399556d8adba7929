using LxcSnap.Core.Client;

namespace LxcSnap.Core.Provisioning;

/// <summary>
/// A provisioning transaction for a build system that snapshots before and ends afterwards in two
/// separate steps of one build, the way NUKE runs a <c>Setup</c> before the guarded targets and its
/// <c>Cleanup</c> after them (also after a failure or a cancellation). Each step makes its own guard
/// from the build's parameters: the open transaction lives in the store's journal, not in this
/// object, so the steps share nothing but the container, paths and label. The steps run in
/// lxc-snap processes (<see cref="LxcSnapProcessSteps"/>): a build host never forks liblxc itself.
/// </summary>
public sealed class ProvisioningGuard
{
    private readonly ProvisioningRunner _runner;
    private readonly ProvisioningRequest _request;
    private readonly Action<string>? _notice;

    /// <param name="steps">How the transaction's steps are done: <see cref="LxcSnapProcessSteps"/> in a build host.</param>
    /// <param name="container">The container provisioning changes.</param>
    /// <param name="label">The transaction's label; <see cref="ProvisioningTransactions.DefaultLabel"/> when null or empty.</param>
    /// <param name="keepFailed">On failure, snapshot the failed state before restoring, for a post-mortem.</param>
    /// <param name="notice">Receives notes meant for a person (the build log).</param>
    /// <param name="keep">After success, prune the container's snapshots to the newest this many (1 or more); null keeps them all.</param>
    public ProvisioningGuard(IProvisioningSteps steps, string container, string? label = null, bool keepFailed = false, Action<string>? notice = null,
        int? keep = null)
    {
        if (string.IsNullOrWhiteSpace(container))
            throw new LxcSnapException(LxcSnapError.InvalidArgument, "no container given: name the container that provisioning changes.");
        _runner = new ProvisioningRunner(steps);
        // The build begins with its label every time: one left open is from a build that died.
        _request = new ProvisioningRequest(container, string.IsNullOrWhiteSpace(label) ? null : label, keepFailed, OpenTransactionPolicy.RecoverSameLabel, keep);
        _notice = notice;
    }

    public string Container => _request.Container;

    /// <summary>
    /// Before provisioning: takes the before snapshot and opens the transaction. A transaction of
    /// this label left open by an interrupted build is rolled back first, and said so.
    /// </summary>
    public ProvisioningRecord SnapshotBefore(CancellationToken cancellation = default)
    {
        var (begun, rolledBack, _) = _runner.Begin(_request, cancellation);
        if (rolledBack is not null)
            _notice?.Invoke($"an earlier build was interrupted while provisioning '{rolledBack.Label}' of {Container}: it was restored to {rolledBack.Before} first.");
        return begun;
    }

    /// <summary>
    /// After provisioning: the after snapshot when <paramref name="result"/> is
    /// <see cref="ProvisioningResult.Succeeded"/>, else the restore to the before snapshot (a running
    /// container runs again afterwards). Ends the transaction <see cref="SnapshotBefore"/> opened.
    /// </summary>
    public ProvisioningRecord SnapshotAfterOrRestore(ProvisioningResult result) => _runner.End(_request, result);

    /// <summary>
    /// One line for a build's summary table, next to the container's name: which snapshot was
    /// taken or restored, so the reader knows where to go back to.
    /// </summary>
    public static string Summary(ProvisioningRecord record) => record.Outcome switch
    {
        ProvisioningOutcome.Open => $"before snapshot {record.Before}",
        ProvisioningOutcome.Succeeded => $"snapshots {record.Before} -> {record.After} ({record.DurationText})" +
            (record.Pruned.Count == 0 ? "" : $", pruned {string.Join(", ", record.Pruned)}"),
        ProvisioningOutcome.RolledBack => $"restored to {record.Before}" +
            (record.FailedState is null ? "" : $", failed state kept as {record.FailedState}"),
        ProvisioningOutcome.RollbackFailed => $"restore failed, left as it was; before snapshot {record.Before}",
        ProvisioningOutcome.Abandoned => $"abandoned; before snapshot {record.Before}",
        _ => throw new ArgumentOutOfRangeException(nameof(record), record.Outcome, "not an outcome of a provisioning transaction"),
    };
}
