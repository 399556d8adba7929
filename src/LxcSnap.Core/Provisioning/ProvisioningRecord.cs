using System.Text.Json.Serialization;

namespace LxcSnap.Core.Provisioning;

/// <summary>Where a provisioning transaction stands.</summary>
public enum ProvisioningOutcome
{
    /// <summary>Begun: the before snapshot exists, provisioning is under way.</summary>
    Open,
    /// <summary>Provisioning succeeded and the after snapshot was taken.</summary>
    Succeeded,
    /// <summary>Provisioning failed and the container was restored to its before snapshot.</summary>
    RolledBack,
    /// <summary>Provisioning failed and so did the restore: the container was left as it was.</summary>
    RollbackFailed,
    /// <summary>Replaced by a newer transaction before it ended.</summary>
    Abandoned,
}

/// <summary>
/// One provisioning transaction on a container: which snapshots belong together, its label,
/// outcome and duration. Kept in the store, so a later process can end what an earlier one began.
/// </summary>
public sealed record ProvisioningRecord
{
    public required string Id { get; init; }
    public required string Container { get; init; }
    public required string LxcPath { get; init; }
    public required string Label { get; init; }
    public required ProvisioningOutcome Outcome { get; init; }

    /// <summary>The snapshot taken before provisioning (<c>NAME_N</c>).</summary>
    public required string Before { get; init; }

    /// <summary>The snapshot taken after provisioning succeeded.</summary>
    public string? After { get; init; }

    /// <summary>With keep-failed: the snapshot of the failed state, taken before the restore.</summary>
    public string? FailedState { get; init; }

    /// <summary>
    /// A fingerprint of what provisioning was given, from the host that ran it (MSBuild hashes
    /// its LxcSnapProvisioningInputs items): a later run given the same one may be skipped
    /// (<see cref="ProvisioningRequest.SkipIfUnchanged"/>). Null when none was given.
    /// </summary>
    public string? InputsHash { get; init; }

    /// <summary>
    /// The container's directory when the after snapshot was taken (device, inode and modification
    /// time): a restore, or a container destroyed and made again, puts a new directory in its place,
    /// so provisioning is no longer up to date (<see cref="ProvisioningTransactions.UnchangedSince"/>).
    /// </summary>
    public string? ContainerDirectory { get; init; }

    /// <summary>
    /// The snapshots retention destroyed once this transaction succeeded (<see cref="ProvisioningRequest.Keep"/>):
    /// reported by the run that pruned them, not kept in the journal.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<string> Pruned { get; init; } = [];

    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Why the rollback failed, when it did.</summary>
    public string? Error { get; init; }

    [JsonIgnore]
    public TimeSpan? Duration => EndedAt - StartedAt;

    /// <summary>The duration for people, "12.3 s" (0.0 s while open).</summary>
    [JsonIgnore]
    public string DurationText =>
        (Duration ?? TimeSpan.Zero).TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s";
}

/// <summary>Which of a transaction's snapshots a snapshot is.</summary>
public enum ProvisioningStep
{
    Before,
    After,
    FailedState,
}

/// <summary>A snapshot's part in a provisioning transaction.</summary>
public sealed record SnapshotRole(ProvisioningRecord Transaction, ProvisioningStep Step);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ProvisioningRecord))]
internal sealed partial class ProvisioningJsonContext : JsonSerializerContext;
