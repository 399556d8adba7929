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

    private LxcLog(SafeFileHandle? file) => _file = file;

    /// <summary>Sets up liblxc's process-wide log. Called once, by <see cref="LxcLibrary"/>.</summary>
    public static unsafe LxcLog Initialize()
    {
        var fd = LibcNative.memfd_create("lxc-snap-log", LibcNative.MemfdCloseOnExec);
        if (fd < 0)
            return new LxcLog(null);

        var file = new SafeFileHandle(fd, ownsHandle: true);
        // liblxc opens the path itself (O_APPEND): /proc/self/fd/N reopens our memory file.
        var pathBytes = Utf8Z($"/proc/self/fd/{fd}");
        var nameBytes = Utf8Z("lxc-snap");
        var levelBytes = Utf8Z("ERROR");
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
                return new LxcLog(null);
            }
        }
        return new LxcLog(file);
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
            .Select(Shorten)
            .Distinct()
            .ToList();
        return lines.Count <= MaxLinesInError ? lines : lines[^MaxLinesInError..];
    }

    // "lxc-snap 20261128134512.123 ERROR    storage - storage/storage.c:storage_copy:331 - text"
    // becomes "storage_copy: text".
    private static string Shorten(string line)
    {
        var match = LogLine().Match(line);
        return match.Success ? $"{match.Groups["function"].Value}: {match.Groups["text"].Value}" : line;
    }

    [GeneratedRegex(@"^\S+\s+\S+\s+[A-Z]+\s+\S+ - [^:]+:(?<function>[^:]+):\d+ - (?<text>.*)$")]
    private static partial Regex LogLine();

    private static byte[] Utf8Z(string text) => Encoding.UTF8.GetBytes(text + '\0');
}
