using LxcSnap.Action.Runner;

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
        var before = files.State(ActionSettings.State.Before);
        var container = files.State(ActionSettings.State.Container);
        if (before is null || container is null)
        {
            commands.Log("LxcSnap: the main stage took no before snapshot, so there is nothing to snapshot or restore.");
            return 0;
        }

        var status = inputs.Optional(ActionSettings.JobStatus)?.ToLowerInvariant();
        var failed = status != "success";
        if (status is not ("success" or "failure" or "cancelled"))
            commands.Warning("LxcSnap", $"job status '{status}' is not success, failure or cancelled: treated as a failure. Leave the input job-status at its default.");

        if (failed && !inputs.Boolean(ActionSettings.RestoreOnFailure, whenEmpty: true))
            return LeaveFailedStateInPlace(container, before, status);

        var request = new HostRequest
        {
            Operation = failed ? HostOperation.Restore : HostOperation.SnapshotAfter,
            Container = container,
            Label = files.State(ActionSettings.State.Label) ?? "",
            LxcPath = files.State(ActionSettings.State.LxcPath),
            SnapshotPath = files.State(ActionSettings.State.SnapshotPath),
            KeepFailed = inputs.Boolean(ActionSettings.KeepFailed, whenEmpty: false),
        };
        var title = failed ? $"LxcSnap: the job's status is {status}: restoring {container} to {before}" : $"LxcSnap: after snapshot of {container}";
        var (result, elapsed) = ActionSettings.RunOnHost(host, request, title, commands, files);
        if (!result.Succeeded)
            return 1;

        var duration = TimeSpan.FromSeconds(result.DurationSeconds ?? elapsed.TotalSeconds);
        if (failed)
            ReportRestored(container, result, status!, duration);
        else
            ReportSucceeded(container, result, duration);
        return 0;
    }

    private void ReportSucceeded(string container, HostResult result, TimeSpan duration)
    {
        files.SetOutput(ActionSettings.Output.Before, result.Before!);
        files.SetOutput(ActionSettings.Output.After, result.After!);
        files.SetOutput(ActionSettings.Output.Outcome, "succeeded");
        files.AppendSummary(JobSummary.Table(container, $"{result.Before} → {result.After}", "succeeded: after snapshot taken", duration));
        commands.Log($"LxcSnap: the job succeeded; {container} snapshotted as {result.After} (before: {result.Before}).");
    }

    private void ReportRestored(string container, HostResult result, string status, TimeSpan duration)
    {
        files.SetOutput(ActionSettings.Output.Before, result.Before!);
        files.SetOutput(ActionSettings.Output.Restored, result.RestoredFrom!);
        files.SetOutput(ActionSettings.Output.Outcome, "restored");
        var kept = result.FailedState is null ? "" : $"; failed state kept as {result.FailedState}";
        if (result.FailedState is not null)
            files.SetOutput(ActionSettings.Output.FailedState, result.FailedState);
        files.AppendSummary(JobSummary.Table(container, $"restored to {result.RestoredFrom}", $"job {status}: restored{kept}", duration));
        commands.Notice("LxcSnap restored", $"the job's status is {status}: {container} was restored to {result.RestoredFrom}{kept}.");
    }

    private int LeaveFailedStateInPlace(string container, string before, string? status)
    {
        files.SetOutput(ActionSettings.Output.Before, before);
        files.SetOutput(ActionSettings.Output.Outcome, "left-failed");
        var label = files.State(ActionSettings.State.Label);
        var lxcPath = files.State(ActionSettings.State.LxcPath);
        commands.Warning("LxcSnap did not restore",
            $"the job's status is {status} and restore-on-failure is false: {container} was left as the job left it, and its transaction stays open. " +
            $"On the host, 'lxc-snap -P {lxcPath} end {container} --label \"{label}\" --failure' restores {before}, '--success' keeps the state.");
        files.AppendSummary(JobSummary.Table(container, before, $"job {status}: left as it was (restore-on-failure: false)", TimeSpan.Zero));
        return 0;
    }
}
