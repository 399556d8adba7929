using LxcSnap.Action.Runner;

namespace LxcSnap.Action.Stages;

/// <summary>
/// The step itself, before the job provisions the container: takes the before snapshot and opens
/// the transaction, then saves what the post stage needs in the action's state.
/// </summary>
internal sealed class MainStage(ActionInputs inputs, FileCommands files, WorkflowCommands commands, HostAccess host)
{
    public int Run()
    {
        var container = inputs.Required(ActionSettings.Container);
        var request = new HostRequest
        {
            Operation = HostOperation.SnapshotBefore,
            Container = container,
            Label = inputs.Optional(ActionSettings.Label) ?? "github-actions",
            LxcPath = inputs.Optional(ActionSettings.LxcPath),
            SnapshotPath = inputs.Optional(ActionSettings.SnapshotPath),
            ReplaceOpen = inputs.Boolean(ActionSettings.ReplaceOpen, whenEmpty: false),
        };
        // Read now, so a typo fails before anything is made rather than at the end of the job.
        _ = inputs.Boolean(ActionSettings.RestoreOnFailure, whenEmpty: true);
        _ = inputs.Boolean(ActionSettings.KeepFailed, whenEmpty: false);

        var (result, _) = ActionSettings.RunOnHost(host, request, $"LxcSnap: before snapshot of {container}", commands, files);
        if (!result.Succeeded)
            return 1;

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
