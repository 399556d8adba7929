namespace LxcSnap.Action.Host;

/// <summary>
/// The containers the action may touch, kept on the host by its owner: one entry per line,
/// <c>#</c> starts a comment. An entry without a slash is a container name (globs <c>*</c> and
/// <c>?</c>) in the host's default lxcpath; an entry with one is matched against
/// <c>LXCPATH/NAME</c>. A missing file allows nothing. Only the host decides where the file is:
/// the path comes from <see cref="PathVariable"/> in the host agent's own environment, which a
/// workflow cannot set (the sibling container gets only the request), never from an input.
/// </summary>
internal sealed class Allowlist
{
    public const string DefaultPath = "/etc/lxcsnap/action-allowlist";
    public const string PathVariable = "LXCSNAP_ACTION_ALLOWLIST";

    private readonly string[] _entries;

    private Allowlist(string path, string[] entries)
    {
        Path = path;
        _entries = entries;
    }

    public string Path { get; }

    public static Allowlist Load(string path)
    {
        var entries = File.Exists(path)
            ? File.ReadAllLines(path)
                .Select(line => (line.IndexOf('#') is var hash and >= 0 ? line[..hash] : line).Trim())
                .Where(entry => entry.Length > 0)
                .ToArray()
            : [];
        return new Allowlist(path, entries);
    }

    public bool Exists => File.Exists(Path);

    public bool Allows(string lxcPath, string container, string defaultLxcPath) => _entries.Any(entry =>
        entry.Contains('/')
            ? Glob.Matches(entry.TrimEnd('/'), System.IO.Path.Combine(lxcPath, container))
            : SamePath(lxcPath, defaultLxcPath) && Glob.Matches(entry, container));

    /// <summary>Why <paramref name="container"/> is refused, and what the host's owner can do about it.</summary>
    public string Refusal(string lxcPath, string container) => Exists
        ? $"container '{container}' in {lxcPath} is not on the host's allowlist {Path}: nothing was done. " +
          $"The host's owner allows it by adding a line '{container}' (for the default lxcpath) or '{System.IO.Path.Combine(lxcPath, container)}' to that file."
        : $"the host has no allowlist {Path}, so the action may touch no container: nothing was done. " +
          $"The host's owner creates that file with one container name or glob per line (for example '{container}').";

    private static bool SamePath(string a, string b) =>
        string.Equals(System.IO.Path.GetFullPath(a).TrimEnd('/'), System.IO.Path.GetFullPath(b).TrimEnd('/'), StringComparison.Ordinal);

    /// <summary>Shell-style <c>*</c> and <c>?</c>; <c>*</c> does not cross a slash.</summary>
    private static class Glob
    {
        public static bool Matches(string pattern, string text) => Match(pattern, 0, text, 0);

        private static bool Match(string pattern, int p, string text, int t)
        {
            while (p < pattern.Length)
            {
                switch (pattern[p])
                {
                    case '*':
                        for (var end = t; end <= text.Length; end++)
                        {
                            if (Match(pattern, p + 1, text, end))
                                return true;
                            if (end < text.Length && text[end] == '/')
                                return false;
                        }
                        return false;
                    case '?' when t < text.Length && text[t] != '/':
                        p++;
                        t++;
                        continue;
                    default:
                        if (t >= text.Length || pattern[p] != text[t])
                            return false;
                        p++;
                        t++;
                        continue;
                }
            }
            return t == text.Length;
        }
    }
}
