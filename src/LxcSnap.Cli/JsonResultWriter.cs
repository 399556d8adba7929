using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LxcSnap.Core.Comparison;
using LxcSnap.Core.Containers;
using LxcSnap.Core.Copying;
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
        Write(new SnapshotCreatedJson(Describe(result.Snapshot, null), Describe(result.Method)), Context.SnapshotCreatedJson);

    public void Containers(SnapshotStore store, IReadOnlyList<string> containers) =>
        Write(new ContainerListJson(store.Path, containers), Context.ContainerListJson);

    public void Snapshots(SnapshotStore store, string container, IReadOnlyList<SnapshotInfo> snapshots, IReadOnlyDictionary<string, SnapshotRole> roles) =>
        Write(new SnapshotListJson(store.Path, container, snapshots.Select(s => Describe(s, roles.GetValueOrDefault(s.Name.ToString()))).ToList()),
            Context.SnapshotListJson);

    public void Restore(RestoreResult result) =>
        Write(new RestoredJson(result.Container.Name, result.Container.LxcPath, result.From.ToString(), result.Replaced,
                result.Method is { } method ? Describe(method) : null, DryRun: result.Method is null),
            Context.RestoredJson);

    public void Destroyed(SnapshotStore store, string snapshot, bool dryRun) =>
        Write(new DestroyedJson(store.Path, snapshot, dryRun), Context.DestroyedJson);

    public void Provisioning(ProvisioningRecord record, ProvisioningRecord? rolledBackFirst = null, bool upToDate = false) =>
        Write(new TransactionDocumentJson(Describe(record) with { RolledBackFirst = rolledBackFirst is null ? null : Describe(rolledBackFirst) }, record.Pruned, upToDate),
            Context.TransactionDocumentJson);

    public void Pruned(string container, IReadOnlyList<PruneDecision> decisions, bool dryRun) =>
        Write(new PruneJson(container, dryRun, decisions.Select(d => new PruneDecisionJson(d.Snapshot.Name.ToString(), d.Remove, JsonName.Of(d.Why), d.Reason)).ToList()),
            Context.PruneJson);

    public void Diff(DiffResult result, bool totals) =>
        Write(new DiffJson(Describe(result.From), Describe(result.To), JsonName.Of(result.Method), result.Identical,
                result.Changes.Select(c => new ChangeJson(c.Path, DiffText.Mark(c.Kind), JsonName.Of(c.Kind), c.Metadata.Each().Select(JsonName.Of).ToList())).ToList(),
                new DiffTotalsJson(result.Changes.Count, result.Count(ChangeKind.Added), result.Count(ChangeKind.Deleted), result.Count(ChangeKind.Modified),
                    result.Count(ChangeKind.TypeChanged), result.Count(ChangeKind.MetadataChanged))),
            Context.DiffJson);

    private static ComparedJson Describe(ComparedRootfs side) => new(
        side.Location.Name, side.IsSnapshot ? "snapshot" : "container", side.Location.LxcPath, JsonName.Of(side.Backing.Kind), side.Backing.RootfsPath, side.Running);

    public static void Version(TextWriter stdout, string version, string? liblxc, string? liblxcProblem) =>
        stdout.WriteLine(JsonSerializer.Serialize(new VersionJson(version, liblxc, liblxcProblem), Context.VersionJson));

    private static TransactionJson Describe(ProvisioningRecord record) => new(
        record.Id, record.Container, record.LxcPath, record.Label, JsonName.Of(record.Outcome),
        record.Before, record.After, record.FailedState, record.InputsHash, JsonTime.Format(record.StartedAt), record.EndedAt is { } ended ? JsonTime.Format(ended) : null,
        record.Duration?.TotalSeconds, record.Error);

    private static SnapshotJson Describe(SnapshotInfo snapshot, SnapshotRole? role) => new(
        snapshot.Name.ToString(),
        snapshot.Name.Container,
        snapshot.Name.Version,
        snapshot.Time is { } time ? JsonTime.Format(new DateTimeOffset(time)) : null,
        snapshot.Timestamp,
        snapshot.Comment?.Text,
        JsonName.Of(snapshot.Backing ?? BackingStoreKind.Other),
        snapshot.Location.Directory,
        role is null ? null : new SnapshotProvisioningJson(JsonName.Of(role.Step), Describe(role.Transaction)),
        snapshot.Provenance is { } provenance ? Describe(provenance) : null);

    private static ProvenanceJson Describe(Provenance provenance) => new(
        provenance.Tool, provenance.Command, provenance.Detail, provenance.User, provenance.SudoUser, provenance.Host,
        provenance.Ci is { } run ? new CiRunJson(run.RunId, run.RunAttempt, run.Repository, run.Sha, run.Url, run.Workflow, run.Job) : null);

    private static CopyJson Describe(CopyMethod method) => new(
        JsonName.Of(method.Kind), method.DataCopiedBy.Each().Select(JsonName.Of).ToList(), method.LowerLayerShared, method.Description);

    private void Write<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        stdout.WriteLine(JsonSerializer.Serialize(value, type));
}

/// <summary>Enumerations as JSON carries them: the C# name in camelCase (<c>OverlayDelta</c> is <c>overlayDelta</c>).</summary>
internal static class JsonName
{
    public static string Of<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}

/// <summary>Every time in lxc-snap's JSON: UTC, ISO 8601 with milliseconds and a Z (<c>2026-11-28T19:05:09.000Z</c>).</summary>
internal static class JsonTime
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// What every document lxc-snap prints with --json has first: the version of its schema
/// (docs/lxc-snap.schema.json). It changes only when a property changes meaning or goes away;
/// new properties may appear within a version.
/// </summary>
internal abstract record JsonDocument
{
    public const int CurrentSchemaVersion = 1;

    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = CurrentSchemaVersion;
}

internal sealed record SnapshotJson(string Name, string Container, int Version, string? Time, string? Timestamp, string? Comment, string BackingStore, string Path, SnapshotProvisioningJson? Provisioning,
    ProvenanceJson? Provenance);
internal sealed record ProvenanceJson(string Tool, string Command, string? Detail, string? User, string? SudoUser, string? Host, CiRunJson? Ci);
internal sealed record CiRunJson(string RunId, string? RunAttempt, string? Repository, string? Sha, string? Url, string? Workflow, string? Job);
internal sealed record SnapshotProvisioningJson(string Step, TransactionJson Transaction);
internal sealed record TransactionJson(string Id, string Container, string LxcPath, string Label, string Outcome, string Before, string? After, string? FailedState,
    string? InputsHash, string StartedAt, string? EndedAt, double? DurationSeconds, string? Error)
{
    /// <summary>begin --recover: the interrupted transaction that was rolled back first.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TransactionJson? RolledBackFirst { get; init; }
}
internal sealed record CopyJson(string Method, IReadOnlyList<string> DataCopiedBy, bool LowerLayerShared, string Description);
internal sealed record PruneDecisionJson(string Snapshot, bool Destroy, string Reason, string Explanation);
internal sealed record TransactionDocumentJson(TransactionJson Transaction, IReadOnlyList<string> Pruned, bool UpToDate) : JsonDocument;
internal sealed record PruneJson(string Container, bool DryRun, IReadOnlyList<PruneDecisionJson> Snapshots) : JsonDocument;
internal sealed record SnapshotCreatedJson(SnapshotJson Snapshot, CopyJson Copy) : JsonDocument;
internal sealed record ContainerListJson(string Store, IReadOnlyList<string> Containers) : JsonDocument;
internal sealed record SnapshotListJson(string Store, string Container, IReadOnlyList<SnapshotJson> Snapshots) : JsonDocument;
internal sealed record RestoredJson(string Container, string LxcPath, string Snapshot, bool Replaced, CopyJson? Copy, bool DryRun) : JsonDocument;
internal sealed record DestroyedJson(string Store, string Snapshot, bool DryRun) : JsonDocument;
internal sealed record ComparedJson(string Name, string Kind, string LxcPath, string BackingStore, string Rootfs, bool Running);
internal sealed record ChangeJson(string Path, string Status, string Change, IReadOnlyList<string> Metadata);
internal sealed record DiffTotalsJson(int Changed, int Added, int Deleted, int Modified, int TypeChanged, int MetadataChanged);
internal sealed record DiffJson(ComparedJson From, ComparedJson To, string Method, bool Identical, IReadOnlyList<ChangeJson> Changes, DiffTotalsJson Totals) : JsonDocument;
internal sealed record VersionJson(string Version, string? Liblxc, string? LiblxcProblem) : JsonDocument;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SnapshotCreatedJson))]
[JsonSerializable(typeof(ContainerListJson))]
[JsonSerializable(typeof(SnapshotListJson))]
[JsonSerializable(typeof(RestoredJson))]
[JsonSerializable(typeof(DestroyedJson))]
[JsonSerializable(typeof(TransactionDocumentJson))]
[JsonSerializable(typeof(VersionJson))]
[JsonSerializable(typeof(PruneJson))]
[JsonSerializable(typeof(DiffJson))]
[JsonSerializable(typeof(ErrorJson))]
internal sealed partial class JsonOutputContext : JsonSerializerContext;
