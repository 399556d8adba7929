using LxcSnap.Core;

namespace LxcSnap.Action.Stages;

/// <summary>The remedies of an error in the action's terms: its inputs (action.yml).</summary>
internal sealed class ActionWording : RemedyWording
{
    public static ActionWording Instance { get; } = new();

    public override string? Describe(Remedy remedy) => remedy switch
    {
        // The action never replaces a container by hand and always snapshots a running one frozen.
        Remedy.ReplaceExisting or Remedy.AllowRunning => null,
        Remedy.AbandonOpenTransaction => $"set the input {ActionSettings.ReplaceOpen}: true to abandon it (its before snapshot stays)",
        Remedy.ChooseLxcPath { Path: { } path } => $"set the input {ActionSettings.LxcPath}: {path}",
        Remedy.ChooseLxcPath => $"set the input {ActionSettings.LxcPath} to the lxcpath that holds the container",
        Remedy.ChooseStore => $"set the input {ActionSettings.SnapshotPath} to a directory of its own",
        _ => Common(remedy),
    };

    /// <summary>
    /// The action's outcome for an error: <c>refused</c> when nothing was done because of the
    /// request or the host's state (a wrong name, a busy container, an open transaction, no
    /// rights), <c>failed</c> when something was tried and failed, <c>rollback-failed</c> when the
    /// restore after a failed job failed.
    /// </summary>
    public static string Outcome(LxcSnapError error) => error switch
    {
        LxcSnapError.RollbackFailed => "rollback-failed",
        LxcSnapError.LxcFailed or LxcSnapError.FilesystemFailed => "failed",
        _ => "refused",
    };
}
