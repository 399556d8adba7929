namespace LxcSnap.Tests.Infrastructure;

/// <summary>
/// What a directory tree looks like on disk (every entry's kind, size, mode and modification
/// time), to show that a refused command changed nothing.
/// </summary>
public sealed class DirectoryFingerprint
{
    private readonly SortedDictionary<string, string> _entries;

    private DirectoryFingerprint(SortedDictionary<string, string> entries) => _entries = entries;

    /// <param name="excluding">Subtrees to leave out, such as a running container's rootfs, which changes by itself.</param>
    public static DirectoryFingerprint Of(string root, params string[] excluding)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Directory.Exists(root))
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", options))
            {
                if (excluding.Any(excluded => entry.FullName == excluded || entry.FullName.StartsWith(excluded + "/", StringComparison.Ordinal)))
                    continue;
                var size = entry is FileInfo file && entry.LinkTarget is null && !entry.Attributes.HasFlag(FileAttributes.Device) ? file.Length : 0;
                entries[Path.GetRelativePath(root, entry.FullName)] =
                    $"{entry.Attributes} size={size} mode={entry.UnixFileMode} mtime={entry.LastWriteTimeUtc.Ticks} link={entry.LinkTarget}";
            }
        }
        return new DirectoryFingerprint(entries);
    }

    /// <summary>The entries that differ between two fingerprints, one line each; empty when equal.</summary>
    public IReadOnlyList<string> Differences(DirectoryFingerprint after)
    {
        var lines = new List<string>();
        foreach (var (path, before) in _entries)
        {
            if (!after._entries.TryGetValue(path, out var now))
                lines.Add($"removed: {path}");
            else if (now != before)
                lines.Add($"changed: {path}: {before} -> {now}");
        }
        lines.AddRange(after._entries.Keys.Where(path => !_entries.ContainsKey(path)).Select(path => $"added: {path}"));
        return lines;
    }
}
