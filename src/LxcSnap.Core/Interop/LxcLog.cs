using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;

namespace LxcSnap.Core.Interop;

/// <summary>
/// Captures liblxc's own log so that a failure can say why. The snapshot functions set neither
/// error_string nor error_num; the reason exists only as log lines. liblxc writes to an anonymous
/// memory file that we read back from a mark, so nothing is left behind on disk.
/// </summary>
internal sealed partial class LxcLog
{
    private const int MaxLinesInError = 12;
    private readonly SafeFileHandle? _file;

    private readonly bool _errorsOnly;

    private LxcLog(SafeFileHandle? file, bool errorsOnly)
    {
        _file = file;
        _errorsOnly = errorsOnly;
    }

    /// <summary>
    /// Sets up liblxc's process-wide log. Called once, by <see cref="LxcLibrary"/>. Without a
    /// <paramref name="logFile"/> liblxc logs its errors to a memory file of ours; with one (-o),
    /// to that file, appended, at <paramref name="priority"/> and above, and failures are read back
    /// from there (only their error lines).
    /// </summary>
    public static unsafe LxcLog Initialize(string? logFile = null, string? priority = null)
    {
        var fd = logFile is null
            ? LibcNative.memfd_create("lxc-snap-log", LibcNative.MemfdCloseOnExec)
            : LibcNative.open(logFile, LibcNative.OpenReadWrite | LibcNative.OpenCreate | LibcNative.OpenAppend | LibcNative.OpenCloseOnExec, 0b110_100_000);
        if (fd < 0 && logFile is not null)
        {
            throw new LxcSnapException(LxcSnapError.InvalidArgument,
                $"cannot open the log file {Printable.Quote(logFile)}: {ErrnoExtensions.LastError().Describe()}. Name a file lxc-snap may write.");
        }
        if (fd < 0)
            return new LxcLog(null, errorsOnly: false);

        var file = new SafeFileHandle(fd, ownsHandle: true);
        // liblxc opens the path itself (O_APPEND): /proc/self/fd/N reopens our file.
        var pathBytes = Utf8Z($"/proc/self/fd/{fd}");
        var nameBytes = Utf8Z("lxc-snap");
        var lowest = priority ?? "ERROR";
        var levelBytes = Utf8Z(lowest);
        fixed (byte* path = pathBytes, name = nameBytes, level = levelBytes)
        {
            var config = new LxcLogConfig
            {
                Name = (IntPtr)name,
                File = (IntPtr)path,
                Level = (IntPtr)level,
                Prefix = (IntPtr)name,
                Quiet = 1,
            };
            if (LxcNative.lxc_log_init(&config) != 0)
            {
                file.Dispose();
                return new LxcLog(null, errorsOnly: false);
            }
        }
        DetachStderrAppender();
        return new LxcLog(file, errorsOnly: lowest is not ("ERROR" or "CRIT" or "ALERT" or "FATAL"));
    }

    /// <summary>
    /// liblxc's lxc_log_init (log.c, 5.0.2 and since 2.x) chains its stderr appender after the log
    /// file's whenever a file is set, whatever <c>quiet</c> says, so every error it logs was also
    /// printed raw ("lxc-snap: lxc-snap: ../src/lxc/lxccontainer.c: do_lxcapi_clone: 3797 error:
    /// ...") before we print it with its context. The appender chain is not public API, but its
    /// head is the exported <c>lxc_log_category_lxc</c>, a <c>struct lxc_log_category</c> {name,
    /// priority, appender, parent} whose appenders are {name, append, next}, unchanged since LXC's
    /// first logging code. The stderr appender is unlinked only when every name is the expected
    /// one; otherwise liblxc keeps printing, which costs only tidiness.
    /// </summary>
    private static void DetachStderrAppender()
    {
        if (!NativeLibrary.TryLoad(Libraries.Lxc, out var library) || !NativeLibrary.TryGetExport(library, "lxc_log_category_lxc", out var category))
            return;
        if (Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(category)) != "lxc")
            return;
        var fileAppender = Marshal.ReadIntPtr(category, 2 * IntPtr.Size);
        if (fileAppender == IntPtr.Zero || Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(fileAppender)) != "logfile")
            return;
        var next = Marshal.ReadIntPtr(fileAppender, 2 * IntPtr.Size);
        if (next == IntPtr.Zero || Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(next)) != "stderr")
            return;
        Marshal.WriteIntPtr(fileAppender, 2 * IntPtr.Size, Marshal.ReadIntPtr(next, 2 * IntPtr.Size));
    }

    /// <summary>The current end of the log; pass it to <see cref="LinesSince"/> after a call.</summary>
    public long Mark() => _file is null ? 0 : RandomAccess.GetLength(_file);

    /// <summary>liblxc's messages written since <paramref name="mark"/>, shortened for people.</summary>
    public IReadOnlyList<string> LinesSince(long mark)
    {
        if (_file is null)
            return [];
        var length = RandomAccess.GetLength(_file);
        if (length <= mark)
            return [];
        var buffer = new byte[Math.Min(length - mark, 64 * 1024)];
        var read = RandomAccess.Read(_file, buffer, length - buffer.Length);
        var lines = Encoding.UTF8.GetString(buffer, 0, read)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !_errorsOnly || ErrorLine().IsMatch(line))
            .Select(Shorten)
            .Distinct()
            .ToList();
        return lines.Count <= MaxLinesInError ? lines : lines[^MaxLinesInError..];
    }

    // "lxc-snap lxc-snap 20261128134512.123 ERROR    storage - storage/storage.c:storage_copy:331 - text"
    // (prefix, name, time, level, category, place) becomes "storage_copy: text".
    internal static string Shorten(string line)
    {
        var match = LogLine().Match(line);
        return match.Success ? $"{match.Groups["function"].Value}: {match.Groups["text"].Value}" : line;
    }

    [GeneratedRegex(@"\s(?:TRACE|DEBUG|INFO|NOTICE|WARN|ERROR|CRIT|ALERT|FATAL)\s+\S+ - [^:]+:(?<function>[^:]+):\d+ - (?<text>.*)$")]
    private static partial Regex LogLine();

    // A line of a log kept at a lower --logpriority that says something failed.
    [GeneratedRegex(@"\s(?:ERROR|CRIT|ALERT|FATAL)\s")]
    private static partial Regex ErrorLine();

    private static byte[] Utf8Z(string text) => Encoding.UTF8.GetBytes(text + '\0');
}
