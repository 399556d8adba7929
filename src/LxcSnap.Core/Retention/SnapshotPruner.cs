using LxcSnap.Core.Containers;
using LxcSnap.Core.Provisioning;
using LxcSnap.Core.Snapshots;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Retention;

/// <summary>Why pruning keeps or destroys a snapshot.</summary>
public enum PruneReason
{
    /// <summary>Kept: one of the newest N.</summary>
    AmongNewest,

    /// <summary>Kept: an age was given and the snapshot's time is unknown (no ts file).</summary>
    TimeUnknown,

    /// <summary>Kept: younger than the age given.</summary>
    YoungerThanAge,

    /// <summary>Kept: the before snapshot of an open provisioning transaction.</summary>
    OpenTransactionBefore,

    /// <summary>Kept: another container depends on it.</summary>
    DependedOn,

    /// <summary>Kept: destroying it was refused (it runs, or another tool's data is in it).</summary>
    NotDestroyable,

    /// <summary>Destroyed: older than the newest N.</summary>
    BeyondNewest,

    /// <summary>Destroyed: older than the age given.</summary>
    OlderThanAge,
}

/// <summary>What pruning does, or would do, with one snapshot.</summary>
/// <param name="Remove">True when the snapshot is (or, in a dry run, would be) destroyed.</param>
/// <param name="Why">Why it is kept or removed, for programs.</param>
/// <param name="Reason">The same for people.</param>
public sealed record PruneDecision(SnapshotInfo Snapshot, bool Remove, PruneReason Why, string Reason);

/// <summary>Which snapshots to prune: the newest <see cref="Keep"/> stay, and only those older than <see cref="OlderThan"/> go.</summary>
public sealed record PrunePolicy(int? Keep, TimeSpan? OlderThan)
{
    public void Validate()
    {
        if (Keep is null && OlderThan is null)
            throw new LxcSnapException(LxcSnapError.InvalidArgument, "pruning needs a number of snapshots to keep, an age, or both.");
        if (Keep < 0)
            throw new LxcSnapException(LxcSnapError.InvalidArgument, $"the number of snapshots to keep must be 0 or more, not {Keep}.");
        if (OlderThan < TimeSpan.Zero)
            throw new LxcSnapException(LxcSnapError.InvalidArgument, "the age of the snapshots to prune must not be negative.");
    }
}

/// <summary>
/// Removes old snapshots of a container. Never removes the before snapshot of an open
/// provisioning transaction (it is what a failure restores), nor a snapshot that another
/// container depends on.
/// </summary>
public sealed class SnapshotPruner(SnapshotEngine engine, ProvisioningTransactions transactions)
{
    public IReadOnlyList<PruneDecision> Prune(string container, PrunePolicy policy, bool dryRun, DateTime? now = null)
    {
        policy.Validate();
        if (!dryRun)
            engine.RecoverInterruptedRuns(); // a snapshot half-destroyed by a killed prune is finished first
        var decisions = Plan(container, policy, now ?? DateTime.Now);
        if (dryRun)
            return decisions;
        return decisions.Select(decision => decision.Remove ? Apply(decision) : decision).ToList();
    }

    private List<PruneDecision> Plan(string container, PrunePolicy policy, DateTime now) =>
        Decide(engine.Store.Snapshots(container), transactions.SnapshotsOfOpenTransactions(container),
            snapshot => Dependencies.Dependents(snapshot.Location), policy, now);

    /// <summary>
    /// The rules, apart from the store: the newest <see cref="PrunePolicy.Keep"/> stay; with an age,
    /// only older ones (by their time) go; never the before snapshot of an open transaction
    /// (<paramref name="protectedBefores"/>), never one another container depends on. Oldest first.
    /// </summary>
    internal static List<PruneDecision> Decide(IReadOnlyList<SnapshotInfo> snapshots, IReadOnlySet<string> protectedBefores,
        Func<SnapshotInfo, IReadOnlyList<ContainerRef>> dependentsOf, PrunePolicy policy, DateTime now) =>
        snapshots.OrderByDescending(s => s.Name.Version).Select((snapshot, newestFirst) =>
        {
            if (newestFirst < policy.Keep)
                return new PruneDecision(snapshot, false, PruneReason.AmongNewest, $"one of the newest {policy.Keep}");
            if (policy.OlderThan is { } age)
            {
                if (snapshot.Time is not { } taken)
                    return new PruneDecision(snapshot, false, PruneReason.TimeUnknown, "its time is unknown (no ts file)");
                if (now - taken < age)
                    return new PruneDecision(snapshot, false, PruneReason.YoungerThanAge, $"younger than {DurationText.Format(age)}");
            }
            if (protectedBefores.Contains(snapshot.Name.ToString()))
                return new PruneDecision(snapshot, false, PruneReason.OpenTransactionBefore, "the before snapshot of an open provisioning transaction");
            var dependents = dependentsOf(snapshot);
            if (dependents.Count > 0)
                return new PruneDecision(snapshot, false, PruneReason.DependedOn, $"{string.Join(", ", dependents)} depend on it");
            return policy.OlderThan is { } olderThan
                ? new PruneDecision(snapshot, true, PruneReason.OlderThanAge, $"older than {DurationText.Format(olderThan)}")
                : new PruneDecision(snapshot, true, PruneReason.BeyondNewest, $"older than the newest {policy.Keep}");
        }).Reverse().ToList();

    private PruneDecision Apply(PruneDecision decision)
    {
        try
        {
            engine.Destroy(decision.Snapshot.Name.ToString());
            return decision;
        }
        catch (LxcSnapException e) when (e.Error is LxcSnapError.SnapshotInUse or LxcSnapError.ContainerRunning or LxcSnapError.SnapshotNotFound or LxcSnapError.ForeignContent)
        {
            return decision with { Remove = false, Why = PruneReason.NotDestroyable, Reason = e.Message };
        }
    }
}
