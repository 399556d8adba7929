namespace LxcSnap.Action.Runner;

/// <summary>
/// GitHub Actions workflow commands written to stdout (<c>::error title=T::message</c>, groups,
/// notices). The runner reads them from the container's output; values are escaped as the
/// runner's ActionCommand unescapes them, so a multi-line reason stays one annotation.
/// </summary>
internal sealed class WorkflowCommands(TextWriter stdout)
{
    public void Group(string title) => stdout.WriteLine($"::group::{EscapeData(title)}");

    public void EndGroup() => stdout.WriteLine("::endgroup::");

    public void Error(string title, string message) => Annotation("error", title, message);

    public void Warning(string title, string message) => Annotation("warning", title, message);

    public void Notice(string title, string message) => Annotation("notice", title, message);

    /// <summary>A plain log line; a line that happens to start with "::" is not taken for a command.</summary>
    public void Log(string line) => stdout.WriteLine(line.StartsWith("::", StringComparison.Ordinal) ? " " + line : line);

    private void Annotation(string command, string title, string message) =>
        stdout.WriteLine($"::{command} title={EscapeProperty(title)}::{EscapeData(message)}");

    public static string EscapeData(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);

    public static string EscapeProperty(string value) =>
        EscapeData(value)
            .Replace(":", "%3A", StringComparison.Ordinal)
            .Replace(",", "%2C", StringComparison.Ordinal);
}
