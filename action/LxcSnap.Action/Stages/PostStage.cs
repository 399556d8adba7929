using LxcSnap.Action.Runner;
using LxcSnap.Core;

namespace LxcSnap.Action.Stages;

/// <summary>
/// After the job (post-if: always()): takes the after snapshot when the job succeeded, restores
/// the before snapshot when it failed or was cancelled.
/// </summary>
/// <remarks>
/// A container action cannot ask the runner how the job went. The input job-status defaults to
/// <c>${{ job.status }}</c>, and the runner evaluates input defaults again for each stage
/// (ActionRunner.RunAsync, EvaluateDefaultInput with the step's expression values, whose job
/// context is the one StepsRunner updates after every step and on cancellation), so in the post
/// stage it holds the job's status at that point: success, failure or cancelled.
/// </remarks>
internal sealed class PostStage(ActionInputs inputs, FileCommands files, WorkflowCommands commands, HostAccess host)
{
    public int Run()
    {
        var status = inputs.Optional(ActionSettings.JobStatus)?.ToLowerInvariant();
        var failed = status != "success";
        if (status is not ("success" or "failure" or "cancelled"))
            commands.Warning("LxcSnap", $"job status '{status}' is not success, failure or cancelled: treated as a failure. Leave the input job-status at its default.");

        var before = files.State(ActionSettings.State.Before);
        var asked = files.State(ActionSettings.State.Container) is not null;
        if (!asked || (before is null && files.State(ActionSettings.State.Answer) is not null))
        {
            commands.Log("LxcSnap: the main stage took no before snapshot, so there is nothing to snapshot or restore.");
            return 0;
        }
        // The main stage asked the host and never heard back: its container died meanwhile (a
        // cancelled job), and the host agent may have begun the transaction all the same. End it
        // if it is open.
        var handedOver = before is not null;
        var request = handedOver ? FromMainStage(failed) : FromInputs(failed);

        if (failed && !inputs.Boolean(ActionSettings.RestoreOnFailure, whenEmpty: true))
            return LeaveFailedStateInPlace(request, before, status);

        var title = failed ? $"LxcSnap: the job's status is {status}: restoring {request.Container}" : $"LxcSnap: after snapshot of {request.Container}";
        var (result, elapsed) = ActionSettings.RunOnHost(host, request, title, commands, files);
        if (!result.Succeeded)
            return 1;
        if (result.Outcome == HostAgent.NothingOpen)
        {
            commands.Log($"LxcSnap: the main stage took no before snapshot of {request.Container}, and no transaction '{request.Label}' is open: nothing to snapshot or restore.");
            return 0;
        }
        if (!handedOver)
            commands.Warning("LxcSnap", $"the main stage was interrupted after it began transaction '{request.Label}' of {request.Container}; it is ended now, as the job's status says.");

        var duration = TimeSpan.FromSeconds(result.DurationSeconds ?? elapsed.TotalSeconds);
        if (failed)
            ReportRestored(request.Container, result, status!, duration);
        else
            ReportSucceeded(request.Container, result, duration);
        return 0;
    }

    /// <summary>The transaction exactly as the main stage began it, from the state it saved.</summary>
    private HostRequest FromMainStage(bool failed) => new()
    {
        Operation = failed ? HostOperation.Restore : HostOperation.SnapshotAfter,
        Container = files.State(ActionSettings.State.Container)!,
        Label = files.State(ActionSettings.State.Label) ?? "",
        LxcPath = files.State(ActionSettings.State.LxcPath),
        SnapshotPath = files.State(ActionSettings.State.SnapshotPath),
        KeepFailed = inputs.Boolean(ActionSettings.KeepFailed, whenEmpty: false),
        Keep = ActionSettings.KeepOf(inputs),
    };

    /// <summary>The transaction the main stage would have begun, from the inputs, if it is open.</summary>
    private HostRequest FromInputs(bool failed) => new()
    {
        Operation = failed ? HostOperation.Restore : HostOperation.SnapshotAfter,
        Container = inputs.Required(ActionSettings.Container),
        Label = inputs.Optional(ActionSettings.Label) ?? MainStage.FallbackLabel,
        LxcPath = inputs.Optional(ActionSettings.LxcPath),
        SnapshotPath = inputs.Optional(ActionSettings.SnapshotPath),
        KeepFailed = inputs.Boolean(ActionSettings.KeepFailed, whenEmpty: false),
        Keep = ActionSettings.KeepOf(inputs),
        OnlyIfOpen = true,
    };

    private void ReportSucceeded(string container, HostResult result, TimeSpan duration)
    {
        files.SetOutput(ActionSettings.Output.Before, result.Before!);
        files.SetOutput(ActionSettings.Output.After, result.After!);
        files.SetOutput(ActionSettings.Output.Outcome, "succeeded");
        files.AppendSummary(JobSummary.Table(container, $"{result.Before} → {result.After}", "succeeded: after snapshot taken", duration, result.RunUrl));
        commands.Log($"LxcSnap: the job succeeded; {container} snapshotted as {result.After} (before: {result.Before}).");
        if (result.Pruned is { Count: > 0 } pruned)
            commands.Log($"LxcSnap: pruned {string.Join(", ", pruned)} of {container}, keeping the newest (input keep).");
    }

    private void ReportRestored(string container, HostResult result, string status, TimeSpan duration)
    {
        files.SetOutput(ActionSettings.Output.Before, result.Before!);
        files.SetOutput(ActionSettings.Output.Restored, result.RestoredFrom!);
        files.SetOutput(ActionSettings.Output.Outcome, "restored");
        var kept = result.FailedState is null ? "" : $"; failed state kept as {result.FailedState}";
        if (result.FailedState is not null)
            files.SetOutput(ActionSettings.Output.FailedState, result.FailedState);
        files.AppendSummary(JobSummary.Table(container, $"restored to {result.RestoredFrom}", $"job {status}: restored{kept}", duration, result.RunUrl));
        commands.Notice("LxcSnap restored", $"the job's status is {status}: {container} was restored to {result.RestoredFrom}{kept}.");
    }

    private int LeaveFailedStateInPlace(HostRequest request, string? before, string? status)
    {
        if (before is not null)
            files.SetOutput(ActionSettings.Output.Before, before);
        files.SetOutput(ActionSettings.Output.Outcome, "left-failed");
        // Every path in it, so that it runs on the host as printed.
        string[] where = ["lxc-snap", .. Option("-P", request.LxcPath), .. Option("--snapshot-path", request.SnapshotPath), "end", request.Container, "--label", request.Label];
        commands.Warning("LxcSnap did not restore",
            $"the job's status is {status} and restore-on-failure is false: {request.Container} was left as the job left it, and its transaction stays open. " +
            $"On the host, {CommandText.Of([.. where, "--failure"])} restores {before ?? "its before snapshot"}; {CommandText.Of([.. where, "--success"])} keeps the state.");
        files.AppendSummary(JobSummary.Table(request.Container, before ?? "-", $"job {status}: left as it was (restore-on-failure: false)", TimeSpan.Zero));
        return 0;
    }

    private static string[] Option(string name, string? value) => string.IsNullOrEmpty(value) ? [] : [name, value];
}
