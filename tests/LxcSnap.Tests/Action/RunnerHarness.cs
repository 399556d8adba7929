using System.Text.RegularExpressions;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Action;

/// <summary>A workflow command the action printed: <c>::name key=value,...::data</c>, unescaped as the runner does.</summary>
public sealed record WorkflowCommand(string Name, IReadOnlyDictionary<string, string> Properties, string Data);

/// <summary>One stage of the step as the runner saw it: exit code, commands, and the files it read back.</summary>
public sealed record StageRun(
    string Stage,
    ProcessResult Process,
    IReadOnlyList<WorkflowCommand> Commands,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyDictionary<string, string> State,
    string Summary)
{
    public int ExitCode => Process.ExitCode;

    public IEnumerable<WorkflowCommand> Errors => Commands.Where(c => c.Name == "error");

    public override string ToString() => $"{Stage}: {Process}\nsummary:\n{Summary}";
}

/// <summary>
/// Reproduces what a GitHub runner does with a `runs.using: docker` action's step, minus the
/// container: for each stage action.yml defines (pre unless the action is local, main, post),
/// fresh state/output/summary files, the inputs as INPUT_NAME variables (upper-cased, dashes
/// kept) with action.yml's defaults evaluated for that stage (job.status included), the state
/// earlier stages saved fed back as STATE_key, and stdout parsed for workflow commands.
/// Modelled on actions/runner's ActionRunner, ContainerActionHandler and FileCommandManager.
/// </summary>
public sealed class RunnerHarness(string workDirectory, IReadOnlyDictionary<string, string> with, IReadOnlyDictionary<string, string> hostEnvironment)
{
    private readonly ActionManifest _manifest = ActionManifest.Load();
    private readonly Dictionary<string, string> _state = new(StringComparer.Ordinal);

    /// <summary>Wraps the entrypoint, e.g. in <c>unshare</c>, to run it in other namespaces.</summary>
    public string[] Wrapper { get; init; } = [];

    /// <summary>A `uses: ./` step: the runner does not run a local action's pre stage.</summary>
    public bool LocalAction { get; init; } = true;

    public List<StageRun> Stages { get; } = [];

    /// <summary>
    /// Runs the step as the runner would around a job: pre and main, then the job's own steps
    /// (<paramref name="job"/>, which returns the job's status), then post with that status.
    /// The runner registers post once main has started, and post-if is always(), so post runs
    /// also when main failed.
    /// </summary>
    public IReadOnlyList<StageRun> RunJob(Func<string> job)
    {
        var status = "success";
        if (!LocalAction && _manifest.Runs.TryGetValue("pre-entrypoint", out var pre))
            status = Run("pre", pre, status).ExitCode == 0 ? status : "failure";
        if (status == "success")
        {
            status = Run("main", _manifest.Runs["entrypoint"], status).ExitCode == 0 ? "success" : "failure";
            if (status == "success")
                status = job();
            if (_manifest.Runs.TryGetValue("post-entrypoint", out var post))
                Run("post", post, status);
        }
        return Stages;
    }

    /// <summary>
    /// The post stage alone, with the job's status: as the runner runs it after a main stage whose
    /// container was killed (no state saved), since post-if is always().
    /// </summary>
    public StageRun RunPost(string jobStatus) => Run("post", _manifest.Runs["post-entrypoint"], jobStatus);

    /// <summary>State as if an earlier stage had saved it (STATE_ variables of the next stages).</summary>
    public void SaveState(string key, string value) => _state[key] = value;

    public StageRun Stage(string name) => Stages.Single(s => s.Stage == name);

    private StageRun Run(string stage, string entrypoint, string jobStatus)
    {
        var files = new Dictionary<string, string>
        {
            ["GITHUB_OUTPUT"] = NewFile($"set_output_{Guid.NewGuid()}"),
            ["GITHUB_STATE"] = NewFile($"save_state_{Guid.NewGuid()}"),
            ["GITHUB_STEP_SUMMARY"] = NewFile($"step_summary_{Guid.NewGuid()}"),
        };
        var environment = new Dictionary<string, string>(hostEnvironment)
        {
            ["GITHUB_ACTIONS"] = "true",
            ["CI"] = "true",
            ["GITHUB_RUN_ID"] = "4242",
            ["GITHUB_RUN_ATTEMPT"] = "1",
            ["GITHUB_REPOSITORY"] = "octo/web",
            ["GITHUB_SHA"] = "0123456789abcdef0123456789abcdef01234567",
            ["GITHUB_SERVER_URL"] = "https://github.com",
            ["GITHUB_WORKFLOW"] = "deploy",
            ["GITHUB_JOB"] = "provision",
            ["GITHUB_WORKSPACE"] = workDirectory,
            ["PATH"] = PublishedAction.BinDirectory + ":" + Environment.GetEnvironmentVariable("PATH"),
        };
        foreach (var (name, value) in files)
            environment[name] = value;
        foreach (var (input, defaultValue) in _manifest.InputDefaults)
        {
            var value = with.TryGetValue(input, out var given) ? given : Evaluate(defaultValue, jobStatus);
            environment["INPUT_" + input.Replace(' ', '_').ToUpperInvariant()] = value;
        }
        foreach (var (key, value) in _state)
            environment["STATE_" + key] = value;

        string[] command = [.. Wrapper, PublishedAction.EntrypointScript(entrypoint)];
        var process = Shell.Run(command[0], command[1..], environment, TimeSpan.FromMinutes(5));
        var state = ReadFileCommands(files["GITHUB_STATE"]);
        foreach (var (key, value) in state)
            _state[key] = value;
        var run = new StageRun(stage, process, ParseCommands(process.Stdout + "\n" + process.Stderr),
            ReadFileCommands(files["GITHUB_OUTPUT"]), state, File.ReadAllText(files["GITHUB_STEP_SUMMARY"]));
        Stages.Add(run);
        return run;
    }

    private string NewFile(string name)
    {
        var path = Path.Combine(workDirectory, "_runner_file_commands", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }

    /// <summary>The expressions action.yml's defaults use, with this job's values.</summary>
    private static string Evaluate(string value, string jobStatus) =>
        Regex.Replace(value, @"\$\{\{\s*([\w.]+)\s*\}\}", match => match.Groups[1].Value switch
        {
            "job.status" => jobStatus,
            "github.run_id" => "4242",
            "github.run_attempt" => "1",
            "github.job" => "provision",
            var other => throw new InvalidOperationException($"the harness does not know the expression {other}"),
        });

    /// <summary>As the runner's FileCommandManager: <c>key=value</c> lines, or <c>key&lt;&lt;DELIMITER</c> ... <c>DELIMITER</c>.</summary>
    public static Dictionary<string, string> ReadFileCommands(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = File.ReadAllText(path).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
                continue;
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0 && (heredoc < 0 || equals < heredoc))
            {
                values[line[..equals]] = line[(equals + 1)..];
                continue;
            }
            if (heredoc < 0)
                throw new FormatException($"{path}: line '{line}' is neither key=value nor key<<DELIMITER");
            var delimiter = line[(heredoc + 2)..];
            var end = Array.IndexOf(lines, delimiter, i + 1);
            if (end < 0)
                throw new FormatException($"{path}: no closing delimiter {delimiter}");
            values[line[..heredoc]] = string.Join('\n', lines[(i + 1)..end]);
            i = end;
        }
        return values;
    }

    public static List<WorkflowCommand> ParseCommands(string output)
    {
        var commands = new List<WorkflowCommand>();
        foreach (var line in output.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            var match = Regex.Match(line, @"^::([\w-]+)( [^:]*)?::(.*)$");
            if (!match.Success)
                continue;
            var properties = match.Groups[2].Value.Trim()
                .Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => p[0], p => Unescape(p.Length > 1 ? p[1] : "", property: true));
            commands.Add(new WorkflowCommand(match.Groups[1].Value, properties, Unescape(match.Groups[3].Value, property: false)));
        }
        return commands;
    }

    private static string Unescape(string value, bool property)
    {
        if (property)
            value = value.Replace("%3A", ":").Replace("%2C", ",");
        return value.Replace("%0D", "\r").Replace("%0A", "\n").Replace("%25", "%");
    }
}
