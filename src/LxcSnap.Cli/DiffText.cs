using System.Globalization;
using System.Text;
using LxcSnap.Core.Comparison;

namespace LxcSnap.Cli;

/// <summary>
/// diff's words: git diff --name-status's letters for what changed (A, D, M, T), and <c>m</c>,
/// which git has none for, for a path whose metadata alone changed; paths relative to the root
/// filesystem, quoted as git quotes them when they hold what would break a line.
/// </summary>
internal static class DiffText
{
    public static string Mark(ChangeKind kind) => kind switch
    {
        ChangeKind.Added => "A",
        ChangeKind.Deleted => "D",
        ChangeKind.Modified => "M",
        ChangeKind.TypeChanged => "T",
        ChangeKind.MetadataChanged => "m",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a kind of change"),
    };

    /// <summary>--stat's line: <c>5 paths differ: 1 added, 1 deleted, 1 modified, 1 type changed, 1 metadata only</c>.</summary>
    public static string Totals(DiffResult result) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{result.Changes.Count} {(result.Changes.Count == 1 ? "path differs" : "paths differ")}: {result.Count(ChangeKind.Added)} added, {result.Count(ChangeKind.Deleted)} deleted, "
            + $"{result.Count(ChangeKind.Modified)} modified, {result.Count(ChangeKind.TypeChanged)} type changed, {result.Count(ChangeKind.MetadataChanged)} metadata only");

    /// <summary>
    /// As git's core.quotePath quotes, but leaving UTF-8 as it is: a path with a control
    /// character, a double quote or a backslash is put in double quotes with C escapes.
    /// </summary>
    public static string QuotedPath(string path)
    {
        if (!path.Any(c => char.IsControl(c) || c is '"' or '\\'))
            return path;
        var quoted = new StringBuilder(path.Length + 8).Append('"');
        foreach (var c in path)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                _ when char.IsControl(c) => "\\" + Convert.ToString(c, 8).PadLeft(3, '0'),
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }
}
