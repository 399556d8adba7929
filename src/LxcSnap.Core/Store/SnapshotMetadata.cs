using System.Globalization;

namespace LxcSnap.Core.Store;

/// <summary>
/// The files the original lxc-snap and LXC's own snapshots keep beside a snapshot's config:
/// <c>ts</c>, the local time as <c>%Y:%m:%d %H:%M:%S</c> without a newline, and <c>comment</c>,
/// a copy of the comment file.
/// </summary>
internal static class SnapshotMetadata
{
    public const string TimestampFile = "ts";
    public const string CommentFile = "comment";
    public const string TimestampFormat = "yyyy:MM:dd HH:mm:ss";

    private static readonly byte[] Utf8ByteOrderMark = [0xEF, 0xBB, 0xBF];

    public static void Write(string snapshotDirectory, DateTime localTime, string? comment)
    {
        if (comment is not null)
            DurableFile.WriteAllText(Path.Combine(snapshotDirectory, CommentFile), comment);
        DurableFile.WriteAllText(Path.Combine(snapshotDirectory, TimestampFile), FormatTimestamp(localTime));
    }

    public static string FormatTimestamp(DateTime localTime) =>
        localTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static DateTime? ParseTimestamp(string? text) =>
        DateTime.TryParseExact(text?.Trim(), TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time)
            ? time
            : null;

    public static (string? Timestamp, string? Comment) Read(string snapshotDirectory)
    {
        return (ReadIfPresent(Path.Combine(snapshotDirectory, TimestampFile))?.Trim(),
                ReadIfPresent(Path.Combine(snapshotDirectory, CommentFile)));
    }

    /// <remarks>
    /// ReadAllBytes allocates exactly the file's size; ReadAllText allocated a reader with its own
    /// buffers per file, which dominated listing 1000 snapshots (their fresh pages faulting in).
    /// </remarks>
    private static string? ReadIfPresent(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            var bom = bytes.AsSpan().StartsWith(Utf8ByteOrderMark) ? Utf8ByteOrderMark.Length : 0;
            return System.Text.Encoding.UTF8.GetString(bytes, bom, bytes.Length - bom);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
