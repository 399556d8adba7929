namespace LxcSnap.Action.Runner;

/// <summary>
/// The runner's file commands: state and outputs appended to the files named by
/// <c>GITHUB_STATE</c> and <c>GITHUB_OUTPUT</c> in the <c>key&lt;&lt;DELIMITER</c> form (safe for
/// any value), and Markdown appended to <c>GITHUB_STEP_SUMMARY</c>. The runner reads the files
/// after the container exits and feeds state back to later stages as <c>STATE_key</c>.
/// </summary>
internal sealed class FileCommands(IReadOnlyDictionary<string, string> environment)
{
    public void SaveState(string key, string value) => Append("GITHUB_STATE", key, value);

    public void SetOutput(string key, string value) => Append("GITHUB_OUTPUT", key, value);

    public void AppendSummary(string markdown)
    {
        var file = FileOf("GITHUB_STEP_SUMMARY");
        if (file is not null)
            File.AppendAllText(file, markdown);
    }

    /// <summary>State a previous stage of this step saved, as the runner passes it back.</summary>
    public string? State(string key) =>
        environment.TryGetValue("STATE_" + key, out var value) && value.Length > 0 ? value : null;

    private void Append(string fileVariable, string key, string value)
    {
        var file = FileOf(fileVariable)
            ?? throw new InvalidOperationException($"{fileVariable} is not set: this program runs as a GitHub Actions step.");
        var delimiter = "ghadelimiter_" + Guid.NewGuid().ToString("N");
        File.AppendAllText(file, $"{key}<<{delimiter}\n{value}\n{delimiter}\n");
    }

    private string? FileOf(string variable) =>
        environment.TryGetValue(variable, out var path) && path.Length > 0 ? path : null;
}
