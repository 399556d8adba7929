using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Action;

/// <summary>
/// What the harness needs from action.yml: the inputs with their defaults and the stages'
/// entrypoints. A reader for this file's own simple shape (two-space indentation, one scalar
/// per line), not a YAML parser; action.yml is validated as a whole by the action validator.
/// </summary>
public sealed class ActionManifest
{
    public Dictionary<string, string> InputDefaults { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Runs { get; } = new(StringComparer.Ordinal);

    public static string FilePath => Path.Combine(PublishedCli.RepositoryRoot(), "action.yml");

    /// <summary>The same action with its image prebuilt: <c>uses: OWNER/REPO/prebuilt@v1</c>.</summary>
    public static string PrebuiltFilePath => Path.Combine(PublishedCli.RepositoryRoot(), "prebuilt", "action.yml");

    public static ActionManifest Load() => Load(FilePath);

    public static ActionManifest Load(string path)
    {
        var manifest = new ActionManifest();
        string? section = null, input = null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
                continue;
            var indent = line.Length - line.TrimStart().Length;
            var (key, value) = Split(line.Trim());
            if (indent == 0)
                (section, input) = (key, null);
            else if (section == "inputs" && indent == 2)
                (input, manifest.InputDefaults[key]) = (key, "");
            else if (section == "inputs" && indent == 4 && key == "default" && input is not null)
                manifest.InputDefaults[input] = value;
            else if (section == "runs" && indent == 2)
                manifest.Runs[key] = value;
        }
        return manifest;
    }

    private static (string Key, string Value) Split(string line)
    {
        var colon = line.IndexOf(':');
        if (colon < 0)
            return (line, "");
        var value = line[(colon + 1)..].Trim();
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
            value = value[1..^1];
        return (line[..colon], value);
    }
}
