using LxcSnap.Action.Runner;

namespace LxcSnap.Action.Stages;

/// <summary>
/// The step itself, before the job provisions the container: takes the before snapshot and opens
/// the transaction, then saves what the post stage needs in the action's state.
/// </summary>
internal sealed class MainStage(ActionInputs inputs, FileCommands files, WorkflowCommands commands, HostAccess host)
{
    /// <summary>The label when the input is empty (action.yml's default, github-RUN-ATTEMPT-JOB, is always set by the runner).</summary>
    public const string FallbackLabel = "github-actions";

    public int Run()
    {
        var container = inputs.Required(ActionSettings.Container);
        var request = new HostRequest
        {
            Operation = HostOperation.SnapshotBefore,
            Container = container,
            Label = inputs.Optional(ActionSettings.Label) ?? FallbackLabel,
            LxcPath = inputs.Optional(ActionSettings.LxcPath),
            SnapshotPath = inputs.Optional(ActionSettings.SnapshotPath),
            ReplaceOpen = inputs.Boolean(ActionSettings.ReplaceOpen, whenEmpty: false),
        };
        // Read now, so a typo fails before anything is made rather than at the end of the job.
        _ = inputs.Boolean(ActionSettings.RestoreOnFailure, whenEmpty: true);
        _ = inputs.Boolean(ActionSettings.KeepFailed, whenEmpty: false);
        _ = ActionSettings.KeepOf(inputs);

        // Saved before the host is asked: should this container die before the answer comes, the
        // post stage knows there was a question, and ends the transaction if the host began one.
        files.SaveState(ActionSettings.State.Container, container);
        var (result, _) = ActionSettings.RunOnHost(host, request, $"LxcSnap: before snapshot of {container}", commands, files);
        if (!result.Succeeded)
        {
            files.SaveState(ActionSettings.State.Answer, result.ErrorKind ?? "failed");
            return 1;
        }

        files.SaveState(ActionSettings.State.Container, result.Container!);
        files.SaveState(ActionSettings.State.Label, result.Label!);
        files.SaveState(ActionSettings.State.LxcPath, result.LxcPath!);
        files.SaveState(ActionSettings.State.SnapshotPath, result.SnapshotPath!);
        files.SaveState(ActionSettings.State.Before, result.Before!);
        files.SetOutput(ActionSettings.Output.Before, result.Before!);
        files.SetOutput(ActionSettings.Output.Outcome, "open");
        commands.Log($"LxcSnap: {result.Container} snapshotted as {result.Before} in {result.SnapshotPath}; " +
                     "the post stage takes the after snapshot when the job succeeds, or restores this one when it fails.");
        return 0;
    }
}
