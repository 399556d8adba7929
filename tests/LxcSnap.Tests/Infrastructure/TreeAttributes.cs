using System.Security.Cryptography;
using System.Text;

namespace LxcSnap.Tests.Infrastructure;

/// <summary>
/// Everything a faithful copy of a directory tree must keep, per entry, read with the tools an
/// administrator would use (find, stat, getfattr) rather than with lxc-snap's own code: type,
/// permission bits (setuid included), owner, size, atime and mtime in nanoseconds, symlink target,
/// device numbers, which names share an inode (hardlinks), extended attributes and contents.
/// </summary>
public static class TreeAttributes
{
    /// <summary>
    /// The entries where <paramref name="copy"/> differs from <paramref name="original"/>, one line
    /// each; empty when identical. Reading a directory or a symlink updates its own atime (as with
    /// cp -a and rsync, the copy keeps the time from before it was read), so atimes are compared for
    /// files, devices and fifos, whose contents are copied without touching it.
    /// </summary>
    /// <param name="wholeOnly">
    /// Whether the copy holds the same, not whether it was made faithfully: leaves out atimes
    /// (liblxc's rsync does not keep them, and reading a tree changes them), directory mtimes
    /// (rsync leaves a directory's time as the copy made it when it differs from the original's
    /// by less than a second, measured here) and the attributes
    /// overlayfs keeps for itself in an upper layer once it was mounted (trusted.overlay.origin,
    /// .impure, .uuid, .nlink; liblxc mounts a restored copy to rename it). The attributes that
    /// say what a layer holds (opaque, redirect) are always compared.
    /// </param>
    public static IReadOnlyList<string> Differences(string original, string copy, bool wholeOnly = false)
    {
        var before = Metadata(original, wholeOnly);
        var after = Metadata(copy, wholeOnly);
        AddContents(original, before);
        AddContents(copy, after);
        return Compare(before, after);
    }

    private static List<string> Compare(SortedDictionary<string, string> before, SortedDictionary<string, string> after)
    {
        var lines = new List<string>();
        foreach (var path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            before.TryGetValue(path, out var expected);
            after.TryGetValue(path, out var actual);
            if (expected != actual)
                lines.Add($"{path}:\n  original: {expected ?? "(missing)"}\n  copy:     {actual ?? "(missing)"}");
        }
        return lines;
    }

    /// <summary>512-byte blocks allocated to a file, as stat reports them (to show that holes stayed holes).</summary>
    public static long AllocatedBlocks(string path) => long.Parse(Shell.Check("stat", "-c", "%b", path).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static SortedDictionary<string, string> Metadata(string root, bool wholeOnly)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var inodes = new Dictionary<string, List<string>>();
        var listing = Shell.Check("find", root, "-printf", "%P\\t%y\\t%#m\\t%U:%G\\t%s\\t%A@\\t%T@\\t%l\\t%i\\n");
        var kinds = new Dictionary<string, string>();
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('\t');
            var (path, kind) = (f[0].Length == 0 ? "." : f[0], f[1]);
            kinds[path] = kind;
            var size = kind == "d" ? "" : $" size={f[4]}"; // a directory's size depends on its file system's history
            var atime = kind is "d" or "l" || wholeOnly ? "" : $" atime={f[5]}";
            var device = kind is "c" or "b" ? $" device={Shell.Check("stat", "-c", "%t:%T", Path.Combine(root, path)).Trim()}" : "";
            var mtime = kind == "d" && wholeOnly ? "" : $" mtime={f[6]}";
            entries[path] = $"{kind} mode={f[2]} owner={f[3]}{size}{atime}{mtime} target={f[7]}{device}";
            if (kind != "d")
                (inodes.TryGetValue(f[8], out var names) ? names : inodes[f[8]] = []).Add(path);
        }
        foreach (var names in inodes.Values.Where(n => n.Count > 1))
        {
            foreach (var name in names)
                entries[name] += $" hardlinked-with={string.Join(',', names.Where(n => n != name).Order(StringComparer.Ordinal))}";
        }
        foreach (var (path, attributes) in ExtendedAttributes(root, wholeOnly))
        {
            if (attributes.Length > 0)
                entries[path] += $" xattrs={attributes}";
        }
        return entries;
    }

    /// <summary>getfattr -R over the tree, never following symlinks (-P -h): every namespace, values in hex.</summary>
    private static readonly string[] OverlayBookkeeping =
        ["trusted.overlay.origin=", "trusted.overlay.impure=", "trusted.overlay.uuid=", "trusted.overlay.nlink="];

    private static Dictionary<string, string> ExtendedAttributes(string root, bool leaveOutOverlayBookkeeping)
    {
        var result = new Dictionary<string, string>();
        var dump = Shell.Run("getfattr", "-R", "-P", "-h", "-d", "-m", "-", "-e", "hex", "--absolute-names", root).Stdout;
        string? current = null;
        var values = new StringBuilder();
        foreach (var line in dump.Split('\n').Append("# file: "))
        {
            if (line.StartsWith("# file: ", StringComparison.Ordinal))
            {
                if (current is not null)
                    result[current] = values.ToString();
                var name = line["# file: ".Length..];
                current = name.Length > 0 ? Path.GetRelativePath(root, name) : null;
                values.Clear();
            }
            else if (line.Length > 0 && !(leaveOutOverlayBookkeeping && OverlayBookkeeping.Any(prefix => line.StartsWith(prefix, StringComparison.Ordinal))))
                values.Append(line).Append(';');
        }
        return result;
    }

    private static void AddContents(string root, SortedDictionary<string, string> entries)
    {
        foreach (var (path, description) in entries.ToList())
        {
            if (description.StartsWith("f ", StringComparison.Ordinal))
                entries[path] = description + " sha256=" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, path))));
        }
    }
}
