using System.Diagnostics;
using System.Globalization;
using LxcSnap.Core.Copying;

namespace LxcSnap.Cli;

/// <summary>
/// One line on a terminal that says how far a long copy is ("copying web: 412 MB of 1.0 GB, 8,210
/// of 19,100 files, 180 MB/s, about 3 s left"), redrawn at most four times a second and cleared
/// when the copy ends or a note is printed. Only on a terminal: a pipe or a log file gets none.
/// </summary>
internal sealed class ProgressDisplay(TextWriter stderr, string what)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    // A copy smaller than both says nothing: it is over before a line could help (most overlay
    // snapshots, a fresh container), and a line that flashes by is noise.
    private const long ShownFromBytes = 64_000_000;
    private const int ShownFromEntries = 5_000;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private TimeSpan _drawnAt = -Interval;
    private bool _shown;

    /// <summary>For a terminal on stderr, unless -q: else null, and nothing is drawn.</summary>
    public static ProgressDisplay? ForTerminal(TextWriter stderr, bool quiet, string what) =>
        quiet || Console.IsErrorRedirected ? null : new ProgressDisplay(stderr, what);

    public void Report(CopyProgress progress)
    {
        lock (_gate)
        {
            var now = _clock.Elapsed;
            var finished = progress.EntriesDone == progress.EntriesTotal;
            var small = progress.BytesTotal < ShownFromBytes && progress.EntriesTotal < ShownFromEntries;
            if (small || (now - _drawnAt < Interval && !finished))
                return;
            _drawnAt = now;
            stderr.Write($"\r\u001b[Klxc-snap: {what}: {Line(progress, now)}");
            stderr.Flush();
            _shown = true;
        }
    }

    /// <summary>Clears the line, for a note or the result to take its place.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            if (!_shown)
                return;
            stderr.Write("\r\u001b[K");
            stderr.Flush();
            _shown = false;
        }
    }

    internal static string Line(CopyProgress progress, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? progress.BytesDone / elapsed.TotalSeconds : 0;
        var left = rate > 0 ? (progress.BytesTotal - progress.BytesDone) / rate : double.NaN;
        var files = string.Create(CultureInfo.InvariantCulture, $"{progress.EntriesDone:N0} of {progress.EntriesTotal:N0} files");
        // The copy is published only once it is on disk: the flush can take as long again.
        if (progress.EntriesDone == progress.EntriesTotal)
            return $"{Size(progress.BytesTotal)} in {progress.EntriesTotal.ToString("N0", CultureInfo.InvariantCulture)} files copied, flushing them to disk";
        var remaining = double.IsNaN(left) ? "" : $", about {Math.Ceiling(left).ToString(CultureInfo.InvariantCulture)} s left";
        return $"{Size(progress.BytesDone)} of {Size(progress.BytesTotal)}, {files}, {Size((long)rate)}/s{remaining}";
    }

    /// <summary>Bytes as people read them: 512 B, 3.4 MB, 1.0 GB (powers of 1000).</summary>
    internal static string Size(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
