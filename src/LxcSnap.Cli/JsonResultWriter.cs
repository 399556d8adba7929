using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LxcSnap.Core.Containers;
using LxcSnap.Core.Provisioning;
using LxcSnap.Core.Retention;
using LxcSnap.Core.Snapshots;
using LxcSnap.Core.Store;

namespace LxcSnap.Cli;

/// <summary>The <c>--json</c> output; docs/json.md documents each shape.</summary>
internal sealed class JsonResultWriter(TextWriter stdout) : IResultWriter
{
    // Comments and labels are people's text: keep ' and non-ASCII readable instead of \u-escaped.
    internal static readonly JsonOutputContext Context = new(new JsonSerializerOptions(JsonOutputContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public void Snapshot(SnapshotResult result) =>
        Write(new SnapshotCreatedJson(Describe(result.Snapshot, null), result.Method), Context.SnapshotCreatedJson);

    public void Containers(SnapshotStore store, IReadOnlyList<string> containers) =>
        Write(new ContainerListJson(store.Path, containers), Context.ContainerListJson);

    public void Snapshots(SnapshotStore store, string container, IReadOnlyList<SnapshotInfo> snapshots, IReadOnlyDictionary<string, SnapshotRole> roles) =>
        Write(new SnapshotListJson(store.Path, container, snapshots.Select(s => Describe(s, roles.GetValueOrDefault(s.Name.ToString()))).ToList()),
            Context.SnapshotListJson);

    public void Restore(RestoreResult result) =>
        Write(new RestoredJson(result.Container.Name, result.Container.LxcPath, result.From.ToString(), result.Replaced, result.Method),
            Context.RestoredJson);

    public void Destroyed(SnapshotStore store, string snapshot) =>
        Write(new DestroyedJson(store.Path, snapshot), Context.DestroyedJson);

    public void Provisioning(ProvisioningRecord record, ProvisioningRecord? rolledBackFirst = null) =>
        Write(Describe(record) with { RolledBackFirst = rolledBackFirst is null ? null : Describe(rolledBackFirst) }, Context.TransactionJson);

    public void Pruned(string container, IReadOnlyList<PruneDecision> decisions, bool dryRun) =>
        Write(new PruneJson(container, dryRun, decisions.Select(d => new PruneDecisionJson(d.Snapshot.Name.ToString(), d.Remove, d.Reason)).ToList()),
            Context.PruneJson);

    private static TransactionJson Describe(ProvisioningRecord record) => new(
        record.Id, record.Container, record.LxcPath, record.Label, JsonNamingPolicy.CamelCase.ConvertName(record.Outcome.ToString()),
        record.Before, record.After, record.FailedState, record.StartedAt, record.EndedAt, record.Duration?.TotalSeconds, record.Error);

    private static SnapshotJson Describe(SnapshotInfo snapshot, SnapshotRole? role) => new(
        snapshot.Name.ToString(),
        snapshot.Name.Container,
        snapshot.Name.Version,
        snapshot.Time?.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        snapshot.Timestamp,
        snapshot.Comment?.Text,
        (snapshot.Backing ?? BackingStoreKind.Other).ToString().ToLowerInvariant(),
        snapshot.Location.Directory,
        role is null ? null : new SnapshotProvisioningJson(JsonNamingPolicy.CamelCase.ConvertName(role.Step.ToString()), Describe(role.Transaction)));

    private void Write<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        stdout.WriteLine(JsonSerializer.Serialize(value, type));
}

internal sealed record SnapshotJson(string Name, string Container, int Version, string? Time, string? Timestamp, string? Comment, string BackingStore, string Path, SnapshotProvisioningJson? Provisioning);
internal sealed record SnapshotProvisioningJson(string Step, TransactionJson Transaction);
internal sealed record TransactionJson(string Id, string Container, string LxcPath, string Label, string Outcome, string Before, string? After, string? FailedState,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, double? DurationSeconds, string? Error)
{
    /// <summary>begin --recover: the interrupted transaction that was rolled back first.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TransactionJson? RolledBackFirst { get; init; }
}
internal sealed record PruneDecisionJson(string Snapshot, bool Destroy, string Reason);
internal sealed record PruneJson(string Container, bool DryRun, IReadOnlyList<PruneDecisionJson> Snapshots);
internal sealed record SnapshotCreatedJson(SnapshotJson Snapshot, string Method);
internal sealed record ContainerListJson(string Store, IReadOnlyList<string> Containers);
internal sealed record SnapshotListJson(string Store, string Container, IReadOnlyList<SnapshotJson> Snapshots);
internal sealed record RestoredJson(string Container, string LxcPath, string Snapshot, bool Replaced, string Method);
internal sealed record DestroyedJson(string Store, string Snapshot);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SnapshotCreatedJson))]
[JsonSerializable(typeof(ContainerListJson))]
[JsonSerializable(typeof(SnapshotListJson))]
[JsonSerializable(typeof(RestoredJson))]
[JsonSerializable(typeof(DestroyedJson))]
[JsonSerializable(typeof(TransactionJson))]
[JsonSerializable(typeof(PruneJson))]
[JsonSerializable(typeof(ErrorJson))]
internal sealed partial class JsonOutputContext : JsonSerializerContext;
