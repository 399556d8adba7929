namespace LxcSnap.Core.Containers;

/// <summary>Reads and rewrites a container's config file directly, for what liblxc has no call for.</summary>
internal static class ContainerConfig
{
    /// <summary>The value of the last <paramref name="key"/> line, as liblxc would read it.</summary>
    public static string? ReadItem(ContainerRef container, string key) => FindItem(File.ReadAllText(container.ConfigFile), key);

    /// <summary>The value of the last <paramref name="key"/> line of the config text <paramref name="config"/>.</summary>
    public static string? FindItem(string config, string key)
    {
        string? value = null;
        foreach (var line in config.AsSpan().EnumerateLines())
        {
            var equals = line.IndexOf('=');
            if (equals > 0 && line[..equals].Trim().SequenceEqual(key))
                value = line[(equals + 1)..].Trim().ToString();
        }
        return value;
    }

    /// <summary>
    /// Moves every path in <paramref name="container"/>'s config that lies under
    /// <paramref name="fromDirectory"/> to <paramref name="toDirectory"/>: what liblxc's clone does
    /// when it names a copy, done here when a finished copy moves between lxcpaths by rename(2).
    /// </summary>
    public static void RelocatePaths(ContainerRef container, string fromDirectory, string toDirectory)
    {
        var from = fromDirectory.TrimEnd('/');
        var to = toDirectory.TrimEnd('/');
        var text = File.ReadAllText(container.ConfigFile);
        // A path ends at '/', ':', a line end or the end of the file: never rewrite "/x/web" inside "/x/web2".
        var rewritten = System.Text.RegularExpressions.Regex.Replace(
            text,
            System.Text.RegularExpressions.Regex.Escape(from) + "(?=[/:\\n]|$)",
            to.Replace("$", "$$", StringComparison.Ordinal));
        if (rewritten != text)
            DurableFile.WriteAllText(container.ConfigFile, rewritten);
    }

    /// <summary>
    /// Sets <paramref name="key"/> to <paramref name="value"/>: the first line with that key is
    /// replaced and later ones dropped (the last would win otherwise); appended when absent.
    /// </summary>
    public static void SetItem(ContainerRef container, string key, string value)
    {
        var output = new List<string>();
        var set = false;
        foreach (var line in File.ReadLines(container.ConfigFile))
        {
            if (KeyOf(line) != key)
                output.Add(line);
            else if (!set)
                output.Add($"{key} = {value}");
            set |= KeyOf(line) == key;
        }
        if (!set)
            output.Add($"{key} = {value}");
        DurableFile.WriteAllText(container.ConfigFile, string.Join('\n', output) + "\n");
    }

    /// <summary>Gives every line whose key <paramref name="newValue"/> answers for (not null) that new value.</summary>
    public static void ReplaceValues(ContainerRef container, Func<string, string?> newValue)
    {
        var lines = File.ReadAllLines(container.ConfigFile);
        var changed = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (KeyOf(lines[i]) is { } key && newValue(key) is { } value)
            {
                lines[i] = $"{key} = {value}";
                changed = true;
            }
        }
        if (changed)
            DurableFile.WriteAllText(container.ConfigFile, string.Join('\n', lines) + "\n");
    }

    private static string? KeyOf(string line)
    {
        var equals = line.IndexOf('=');
        var key = equals > 0 ? line[..equals].Trim() : null;
        return key is null || key.StartsWith('#') ? null : key;
    }
}
