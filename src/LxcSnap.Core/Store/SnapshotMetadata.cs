using System.Globalization;

namespace LxcSnap.Core.Store;

/// <summary>
/// The files the original lxc-snap and LXC's own snapshots keep beside a snapshot's config:
/// <c>ts</c>, the local time as <c>%Y:%m:%d %H:%M:%S</c> without a newline, and <c>comment</c>,
/// a copy of the comment file's bytes.
/// </summary>
internal static class SnapshotMetadata
{
    public const string TimestampFile = "ts";
    public const string CommentFile = "comment";
    public const string TimestampFormat = "yyyy:MM:dd HH:mm:ss";

    /// <summary>The original tool read at most 99 bytes of ts; a valid one has 19.</summary>
    private const int MaxTimestampBytes = 100;

    public static void Write(string snapshotDirectory, DateTime localTime, SnapshotComment? comment)
    {
        if (comment is not null)
            DurableFile.WriteAllBytes(Path.Combine(snapshotDirectory, CommentFile), comment.Bytes);
        DurableFile.WriteAllText(Path.Combine(snapshotDirectory, TimestampFile), FormatTimestamp(localTime));
    }

    public static string FormatTimestamp(DateTime localTime) =>
        localTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static DateTime? ParseTimestamp(string? text) =>
        DateTime.TryParseExact(text?.Trim(), TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time)
            ? time
            : null;

    /// <summary>
    /// The time and comment of the snapshot <paramref name="snapshot"/> in <paramref name="store"/>.
    /// A ts that holds no valid time is reported among the problems and read as absent, so that
    /// whatever it holds never reaches a terminal.
    /// </summary>
    public static (string? Timestamp, SnapshotComment? Comment, IReadOnlyList<string> Problems) Read(DirectoryReader store, string snapshot)
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
        return (timestamp, comment, problems);
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
