using LxcSnap.Core.Snapshots;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Provisioning;

/// <summary>
/// A provisioning transaction for a build system that snapshots before and ends afterwards in two
/// separate steps of one build, the way NUKE runs a <c>Setup</c> before the guarded targets and its
/// <c>Cleanup</c> after them (also after a failure). Each step makes its own guard from the build's
/// parameters: the open transaction lives in the store's journal, not in this object, so the steps
/// share nothing but the container, paths and label.
/// </summary>
public sealed class ProvisioningGuard
{
    private readonly ProvisioningTransactions _transactions;
    private readonly bool _keepFailed;

    /// <param name="container">The container provisioning changes.</param>
    /// <param name="lxcPath">Its lxcpath; liblxc's default (usually /var/lib/lxc) when null or empty.</param>
    /// <param name="snapshotPath">The snapshot store; resolved as the CLI does (<see cref="SnapshotStore.Resolve"/>) when null or empty.</param>
    /// <param name="label">The transaction's label; <see cref="ProvisioningTransactions.DefaultLabel"/> when null or empty.</param>
    /// <param name="keepFailed">On failure, snapshot the failed state before restoring, for a post-mortem.</param>
    /// <param name="notice">Receives progress and recovery notes meant for a person (the build log).</param>
    public ProvisioningGuard(string container, string? lxcPath = null, string? snapshotPath = null, string? label = null,
        bool keepFailed = false, Action<string>? notice = null)
    {
        if (string.IsNullOrWhiteSpace(container))
            throw new LxcSnapException(LxcSnapError.InvalidArgument, "no container given: name the container that provisioning changes.");
        Container = container;
        Label = label;
        var resolvedLxcPath = string.IsNullOrWhiteSpace(lxcPath) ? SnapshotEngine.DefaultLxcPath : lxcPath;
        var engine = new SnapshotEngine(resolvedLxcPath, SnapshotStore.Resolve(snapshotPath, resolvedLxcPath), notice);
        _transactions = new ProvisioningTransactions(engine, notice);
        _keepFailed = keepFailed;
    }

    public string Container { get; }

    public string? Label { get; }

    /// <summary>
    /// Before provisioning: takes the before snapshot and opens the transaction. A transaction of
    /// this label left open by an interrupted build is rolled back first (see
    /// <see cref="ProvisioningTransactions.BeginRecovering"/>).
    /// </summary>
    public ProvisioningRecord SnapshotBefore() => _transactions.BeginRecovering(Container, Label).Begun;

    /// <summary>
    /// After provisioning: takes the after snapshot, or, when <paramref name="provisioningFailed"/>,
    /// restores the container to its before snapshot (a running container runs again afterwards).
    /// Ends the transaction <see cref="SnapshotBefore"/> opened; throws
    /// <see cref="LxcSnapError.TransactionNotFound"/> when none is open, and
    /// <see cref="LxcSnapError.RollbackFailed"/> when the restore cannot happen.
    /// </summary>
    public ProvisioningRecord SnapshotAfterOrRestore(bool provisioningFailed) =>
        provisioningFailed
            ? _transactions.Fail(Container, Label, _keepFailed)
            : _transactions.Succeed(Container, Label);

    /// <summary>
    /// One line for a build's summary table, next to the container's name: which snapshot was
    /// taken or restored, so the reader knows where to go back to.
    /// </summary>
    public static string Summary(ProvisioningRecord record) => record.Outcome switch
    {
        ProvisioningOutcome.Open => $"before snapshot {record.Before}",
        ProvisioningOutcome.Succeeded => $"snapshots {record.Before} -> {record.After} ({record.DurationText})",
        ProvisioningOutcome.RolledBack => $"restored to {record.Before}" +
            (record.FailedState is null ? "" : $", failed state kept as {record.FailedState}"),
        ProvisioningOutcome.RollbackFailed => $"restore failed, left as it was; before snapshot {record.Before}",
        _ => $"abandoned; before snapshot {record.Before}",
    };
}
