using System.Text.Json.Serialization;

namespace LxcSnap.Core.Store;

/// <summary>
/// Who and what made a snapshot, kept in its <c>provenance.json</c> beside <c>ts</c> and
/// <c>comment</c> (<see cref="SnapshotMetadata"/>). Made in one place from the environment
/// (<see cref="FromEnvironment"/>); snapshots made before lxc-snap recorded it, and those of
/// other tools, have none.
/// </summary>
public sealed record Provenance
{
    /// <summary>The front-end that asked for the snapshot: one of <see cref="Tools"/>.</summary>
    public required string Tool { get; init; }

    /// <summary>The lxc-snap command that took it: <c>snapshot</c>, <c>run</c>, <c>begin</c> or <c>end</c>.</summary>
    public required string Command { get; init; }

    /// <summary>What the front-end says of itself: MSBuild the task, project and targets; NUKE the build class and target.</summary>
    public string? Detail { get; init; }

    /// <summary>The effective user.</summary>
    public string? User { get; init; }

    /// <summary>The user who ran sudo, when lxc-snap runs under it (SUDO_USER).</summary>
    public string? SudoUser { get; init; }

    public string? Host { get; init; }

    /// <summary>The GitHub Actions run, when GITHUB_ACTIONS=true.</summary>
    public ContinuousIntegrationRun? Ci { get; init; }

    public const string LxcSnapTool = "lxc-snap";
    public const string MSBuildTool = "msbuild";
    public const string NukeTool = "nuke";
    public const string GitHubActionTool = "githubAction";

    /// <summary>Every front-end a provenance can name.</summary>
    public static readonly IReadOnlyList<string> Tools = [LxcSnapTool, MSBuildTool, NukeTool, GitHubActionTool];

    /// <summary>Every lxc-snap command that takes snapshots.</summary>
    public static readonly IReadOnlyList<string> Commands = ["snapshot", "run", "begin", "end"];

    /// <summary>True when it names a tool and a command lxc-snap knows: a provenance.json read back may hold anything.</summary>
    internal bool IsWellFormed => Tools.Contains(Tool, StringComparer.Ordinal) && Commands.Contains(Command, StringComparer.Ordinal);

    /// <summary>
    /// Set by a front-end that runs lxc-snap as a process of its own to say who it is:
    /// <c>msbuild</c> or <c>nuke</c>; any other value is ignored and the snapshot is lxc-snap's own.
    /// </summary>
    public const string MadeByVariable = "LXCSNAP_MADE_BY";

    /// <summary>With <see cref="MadeByVariable"/>: the front-end's <see cref="Detail"/>.</summary>
    public const string MadeByDetailVariable = "LXCSNAP_MADE_BY_DETAIL";

    /// <summary>The front-ends that run lxc-snap as a process, and so may name themselves in <see cref="MadeByVariable"/>.</summary>
    private static readonly string[] ProcessFrontEnds = [MSBuildTool, NukeTool];

    /// <summary>A detail longer than this is cut: it is a line for people, not a document.</summary>
    public const int MaxDetailLength = 1000;

    /// <summary>
    /// The provenance of a snapshot taken now by <paramref name="command"/>, from
    /// <paramref name="environment"/>: the front-end and its detail (<see cref="MadeByVariable"/>,
    /// <see cref="MadeByDetailVariable"/>) unless <paramref name="tool"/> names one, SUDO_USER,
    /// and the GitHub Actions run.
    /// </summary>
    /// <param name="user">The effective user (<see cref="Environment.UserName"/>).</param>
    /// <param name="host">The host name (<see cref="Environment.MachineName"/>).</param>
    /// <param name="tool">The front-end, when it runs the engine in its own process (the action); null to read it from the environment.</param>
    public static Provenance FromEnvironment(IReadOnlyDictionary<string, string> environment, string command, string? user, string? host,
        string? tool = null)
    {
        string? Value(string name) => environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        var madeBy = tool is null && Value(MadeByVariable) is { } named && ProcessFrontEnds.Contains(named, StringComparer.Ordinal) ? named : null;
        var detail = madeBy is null ? null : Value(MadeByDetailVariable);
        return new Provenance
        {
            Tool = tool ?? madeBy ?? LxcSnapTool,
            Command = command,
            Detail = detail is { Length: > MaxDetailLength } ? detail[..MaxDetailLength] : detail,
            User = user,
            SudoUser = Value("SUDO_USER"),
            Host = host,
            Ci = ContinuousIntegrationRun.FromEnvironment(Value),
        };
    }

    /// <summary><see cref="FromEnvironment"/> of this process: lxc-snap's own command line.</summary>
    public static Provenance OfThisProcess(string command) =>
        FromEnvironment(CurrentEnvironment(), command, Environment.UserName, Environment.MachineName);

    private static Dictionary<string, string> CurrentEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = entry.Value as string ?? "";
        return variables;
    }
}

/// <summary>A GitHub Actions run, from the variables the runner sets (GITHUB_RUN_ID and its kin).</summary>
/// <param name="Url">The run's page: <c>$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID/attempts/$GITHUB_RUN_ATTEMPT</c>.</param>
public sealed record ContinuousIntegrationRun(
    string RunId, string? RunAttempt, string? Repository, string? Sha, string? Url, string? Workflow, string? Job)
{
    /// <summary>Every variable <see cref="FromEnvironment"/> reads: what a front-end passes on for another process to record the run.</summary>
    public static readonly IReadOnlyList<string> Variables =
        ["GITHUB_ACTIONS", "GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT", "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_SERVER_URL", "GITHUB_WORKFLOW", "GITHUB_JOB"];

    /// <summary>The run <paramref name="value"/> describes (a variable's trimmed value, null when unset), or null outside GitHub Actions.</summary>
    public static ContinuousIntegrationRun? FromEnvironment(Func<string, string?> value)
    {
        if (value("GITHUB_ACTIONS") != "true" || value("GITHUB_RUN_ID") is not { } runId)
            return null;
        var attempt = value("GITHUB_RUN_ATTEMPT");
        var repository = value("GITHUB_REPOSITORY");
        var url = value("GITHUB_SERVER_URL") is { } server && repository is not null
            ? $"{server.TrimEnd('/')}/{repository}/actions/runs/{runId}" + (attempt is null ? "" : $"/attempts/{attempt}")
            : null;
        return new ContinuousIntegrationRun(runId, attempt, repository, value("GITHUB_SHA"), url, value("GITHUB_WORKFLOW"), value("GITHUB_JOB"));
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Provenance))]
internal sealed partial class ProvenanceJsonContext : JsonSerializerContext;
