using System.Globalization;

namespace LxcSnap.Core.Store;

/// <summary>
/// The files the original lxc-snap and LXC's own snapshots keep beside a snapshot's config:
/// <c>ts</c>, the local time as <c>%Y:%m:%d %H:%M:%S</c> without a newline, and <c>comment</c>,
/// a copy of the comment file's bytes; and lxc-snap's own <c>provenance.json</c>, who and what
/// made it (<see cref="Store.Provenance"/>).
/// </summary>
internal static class SnapshotMetadata
{
    public const string TimestampFile = "ts";
    public const string CommentFile = "comment";
    public const string ProvenanceFile = "provenance.json";
    public const string TimestampFormat = "yyyy:MM:dd HH:mm:ss";

    /// <summary>The original tool read at most 99 bytes of ts; a valid one has 19.</summary>
    private const int MaxTimestampBytes = 100;

    /// <summary>A provenance is a few hundred bytes; a detail is cut at <see cref="Store.Provenance.MaxDetailLength"/>.</summary>
    private const int MaxProvenanceBytes = 16 * 1024;

    /// <summary>
    /// Takes a snapshot's metadata files out of a copy of it: a restored container is a container,
    /// not a snapshot, and its snapshot's time, comment and provenance stay behind.
    /// </summary>
    public static void RemoveFrom(string containerDirectory)
    {
        foreach (var file in new[] { TimestampFile, CommentFile, ProvenanceFile })
            File.Delete(Path.Combine(containerDirectory, file));
    }

    public static void Write(string snapshotDirectory, DateTime localTime, SnapshotComment? comment, Provenance? provenance)
    {
        if (comment is not null)
            DurableFile.WriteAllBytes(Path.Combine(snapshotDirectory, CommentFile), comment.Bytes);
        if (provenance is not null)
        {
            DurableFile.WriteAllBytes(Path.Combine(snapshotDirectory, ProvenanceFile),
                System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(provenance, ProvenanceJsonContext.Default.Provenance));
        }
        DurableFile.WriteAllText(Path.Combine(snapshotDirectory, TimestampFile), FormatTimestamp(localTime));
    }

    public static string FormatTimestamp(DateTime localTime) =>
        localTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static DateTime? ParseTimestamp(string? text) =>
        DateTime.TryParseExact(text?.Trim(), TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time)
            ? time
            : null;

    /// <summary>
    /// The time, comment and provenance of the snapshot <paramref name="snapshot"/> in <paramref name="store"/>.
    /// A ts that holds no valid time, and a provenance.json that is no provenance, are reported
    /// among the problems and read as absent, so that whatever they hold never reaches a terminal.
    /// </summary>
    public static (string? Timestamp, SnapshotComment? Comment, Provenance? Provenance, IReadOnlyList<string> Problems) Read(DirectoryReader store, string snapshot)
    {
        var problems = new List<string>();
        var timestampName = Path.Combine(snapshot, TimestampFile);
        var timestamp = ReadIfPresent(store, timestampName, MaxTimestampBytes, problems) is { } bytes
            ? System.Text.Encoding.UTF8.GetString(bytes).Trim()
            : null;
        if (timestamp is not null && ParseTimestamp(timestamp) is null)
        {
            problems.Add($"{store.FullPath(timestampName)} holds no valid time (expected {TimestampFormat.ToUpperInvariant()}); the snapshot is shown without one. Rewrite or delete the file.");
            timestamp = null;
        }
        var comment = ReadIfPresent(store, Path.Combine(snapshot, CommentFile), Store.CommentFile.MaxBytes, problems) is { } text
            ? new SnapshotComment(text)
            : null;
        var provenanceName = Path.Combine(snapshot, ProvenanceFile);
        var provenanceJson = ReadIfPresent(store, provenanceName, MaxProvenanceBytes, problems);
        var provenance = provenanceJson is null ? null : ParseProvenance(provenanceJson);
        if (provenanceJson is not null && provenance is null)
            problems.Add($"{store.FullPath(provenanceName)} holds no provenance lxc-snap can read; the snapshot is shown without one. Delete the file if it is damaged.");
        return (timestamp, comment, provenance, problems);
    }

    /// <summary>The provenance <paramref name="json"/> holds, or null when it holds none (no JSON, a tool or command lxc-snap does not know).</summary>
    private static Provenance? ParseProvenance(byte[] json)
    {
        try
        {
            var provenance = System.Text.Json.JsonSerializer.Deserialize(json, ProvenanceJsonContext.Default.Provenance);
            return provenance is { IsWellFormed: true } ? provenance : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static byte[]? ReadIfPresent(DirectoryReader store, string name, int maxBytes, List<string> problems)
    {
        var (outcome, bytes) = store.ReadBounded(name, maxBytes);
        switch (outcome)
        {
            case BoundedFile.Outcome.Read:
                return bytes;
            case BoundedFile.Outcome.NotRegular:
                problems.Add($"{store.FullPath(name)} is not a regular file; it is ignored. Move it away.");
                return null;
            case BoundedFile.Outcome.TooLarge:
                problems.Add($"{store.FullPath(name)} is larger than {maxBytes} bytes; it is ignored. Move it away.");
                return null;
            default:
                return null;
        }
    }
}
