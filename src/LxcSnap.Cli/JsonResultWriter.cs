using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LxcSnap.Core.Snapshots;
using LxcSnap.Core.Store;

namespace LxcSnap.Cli;

/// <summary>The <c>--json</c> output; docs/json.md documents each shape.</summary>
internal sealed class JsonResultWriter(TextWriter stdout) : IResultWriter
{
    public void Snapshot(SnapshotResult result) =>
        Write(new SnapshotCreatedJson(Describe(result.Snapshot), result.Method), JsonOutputContext.Default.SnapshotCreatedJson);

    public void Containers(SnapshotStore store, IReadOnlyList<string> containers) =>
        Write(new ContainerListJson(store.Path, containers), JsonOutputContext.Default.ContainerListJson);

    public void Snapshots(SnapshotStore store, string container, IReadOnlyList<SnapshotInfo> snapshots) =>
        Write(new SnapshotListJson(store.Path, container, snapshots.Select(Describe).ToList()), JsonOutputContext.Default.SnapshotListJson);

    public void Restore(RestoreResult result) =>
        Write(new RestoredJson(result.Container.Name, result.Container.LxcPath, result.From.ToString(), result.Replaced, result.Method),
            JsonOutputContext.Default.RestoredJson);

    public void Destroyed(SnapshotStore store, string snapshot) =>
        Write(new DestroyedJson(store.Path, snapshot), JsonOutputContext.Default.DestroyedJson);

    private static SnapshotJson Describe(SnapshotInfo snapshot) => new(
        snapshot.Name.ToString(),
        snapshot.Name.Container,
        snapshot.Name.Version,
        snapshot.Time?.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        snapshot.Timestamp,
        snapshot.Comment,
        snapshot.Backing.ToString().ToLowerInvariant(),
        snapshot.Location.Directory);

    private void Write<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        stdout.WriteLine(JsonSerializer.Serialize(value, type));
}

internal sealed record SnapshotJson(string Name, string Container, int Version, string? Time, string? Timestamp, string? Comment, string BackingStore, string Path);
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
internal sealed partial class JsonOutputContext : JsonSerializerContext;
