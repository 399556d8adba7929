using System.Text.Json.Serialization;

namespace LxcSnap.Action.Stages;

/// <summary>What a stage asks of the host: the runner-facing side fills it, the host agent carries it out.</summary>
internal enum HostOperation
{
    /// <summary>Main stage: take the before snapshot and open the transaction.</summary>
    SnapshotBefore,
    /// <summary>Post stage, job succeeded: take the after snapshot.</summary>
    SnapshotAfter,
    /// <summary>Post stage, job failed or was cancelled: restore the before snapshot.</summary>
    Restore,
}

internal sealed record HostRequest
{
    public required HostOperation Operation { get; init; }
    public required string Container { get; init; }
    public required string Label { get; init; }
    /// <summary>Empty: the host's LXC default (lxc.lxcpath).</summary>
    public string? LxcPath { get; init; }
    /// <summary>Empty: the lxcpath followed by "snaps", as lxc-snap resolves it.</summary>
    public string? SnapshotPath { get; init; }
    public bool KeepFailed { get; init; }
    /// <summary>After success, prune to the newest N snapshots (the keep input).</summary>
    public int? Keep { get; init; }
    public bool ReplaceOpen { get; init; }

    /// <summary>
    /// Post stage without the main stage's state (its container was killed after the host agent
    /// began the transaction): end the transaction of this label if one is open, else do nothing.
    /// </summary>
    public bool OnlyIfOpen { get; init; }

    /// <summary>
    /// The job's GitHub Actions variables as the stage sees them (<see cref="Core.Store.ContinuousIntegrationRun.Variables"/>):
    /// the host agent runs elsewhere, and records them in the provenance of the snapshots it takes.
    /// </summary>
    public Dictionary<string, string>? Workflow { get; init; }
}

/// <summary>What the host agent did, printed by it as one JSON line and read back by the stage.</summary>
internal sealed record HostResult
{
    public required bool Succeeded { get; init; }
    /// <summary>Why nothing (or not everything) was done: one message for the ::error:: annotation.</summary>
    public string? Error { get; init; }
    /// <summary>A short kind for the summary table: refused, failed, rollback-failed.</summary>
    public string? ErrorKind { get; init; }
    public string? Container { get; init; }
    public string? LxcPath { get; init; }
    public string? SnapshotPath { get; init; }
    public string? Label { get; init; }
    public string? Outcome { get; init; }
    public string? Before { get; init; }
    public string? After { get; init; }
    public string? RestoredFrom { get; init; }
    public string? FailedState { get; init; }
    /// <summary>What retention destroyed after the after snapshot.</summary>
    public IReadOnlyList<string>? Pruned { get; init; }
    public double? DurationSeconds { get; init; }
    /// <summary>The GitHub Actions run the snapshots taken record as their provenance, when it is known.</summary>
    public string? RunUrl { get; init; }

    public static HostResult Refused(string error) => new() { Succeeded = false, ErrorKind = "refused", Error = error };
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HostRequest))]
[JsonSerializable(typeof(HostResult))]
internal sealed partial class HostJsonContext : JsonSerializerContext;
