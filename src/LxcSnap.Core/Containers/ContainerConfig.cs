namespace LxcSnap.Core.Containers;

/// <summary>Reads and rewrites a container's config file directly, for what liblxc has no call for.</summary>
internal static class ContainerConfig
{
    /// <summary>The value of the last <paramref name="key"/> line, as liblxc would read it.</summary>
    public static string? ReadItem(ContainerRef container, string key)
    {
        string? value = null;
        foreach (var line in File.ReadLines(container.ConfigFile))
        {
            var equals = line.IndexOf('=');
            if (equals > 0 && line[..equals].Trim() == key)
                value = line[(equals + 1)..].Trim();
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
}
