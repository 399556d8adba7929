using LxcSnap.Action.Runner;

namespace LxcSnap.Action.Stages;

/// <summary>The action's inputs (see action.yml) and the state the main stage leaves for the post stage.</summary>
internal static class ActionSettings
{
    public const string Container = "container";
    public const string Label = "label";
    public const string LxcPath = "lxcpath";
    public const string SnapshotPath = "snapshot-path";
    public const string RestoreOnFailure = "restore-on-failure";
    public const string KeepFailed = "keep-failed";
    public const string Keep = "keep";

    /// <summary>The keep input, read the same way by both stages.</summary>
    public static int? KeepOf(Runner.ActionInputs inputs) =>
        inputs.Count(Keep, minimum: 1, "the number of snapshots of the container to keep after a successful job");
    public const string ReplaceOpen = "replace-open";
    public const string JobStatus = "job-status";

    /// <summary>State keys: what the main stage resolved, so the post stage ends exactly the transaction it began.</summary>
    public static class State
    {
        public const string Container = "container";
        public const string Label = "label";
        public const string LxcPath = "lxcpath";
        public const string SnapshotPath = "snapshot-path";
        public const string Before = "before";
        /// <summary>Set when the host answered the main stage without a before snapshot (refused, failed).</summary>
        public const string Answer = "answer";
    }

    /// <summary>Outputs, as action.yml declares them.</summary>
    public static class Output
    {
        public const string Before = "before-snapshot";
        public const string After = "after-snapshot";
        public const string Restored = "restored-snapshot";
        public const string FailedState = "failed-state-snapshot";
        public const string Outcome = "outcome";
    }

    public static string Title(HostResult result) => result.ErrorKind switch
    {
        "refused" => "LxcSnap refused",
        "rollback-failed" => "LxcSnap restore failed",
        _ => "LxcSnap failed",
    };

    /// <summary>
    /// Runs <paramref name="request"/> on the host inside a log group titled <paramref name="title"/>;
    /// a failure becomes an error annotation, the outcome output and a summary row.
    /// </summary>
    public static (HostResult Result, TimeSpan Elapsed) RunOnHost(HostAccess host, HostRequest request, string title,
        WorkflowCommands commands, FileCommands files)
    {
        commands.Group(title);
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var result = host.Run(request);
        commands.EndGroup();
        if (!result.Succeeded)
        {
            commands.Error(Title(result), result.Error ?? "unknown error");
            files.SetOutput(Output.Outcome, result.ErrorKind ?? "failed");
            files.AppendSummary(JobSummary.Table(request.Container, "-", $"{result.ErrorKind}: {result.Error}", elapsed.Elapsed));
        }
        return (result, elapsed.Elapsed);
    }
}
