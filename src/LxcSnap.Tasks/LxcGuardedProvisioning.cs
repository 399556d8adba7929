using System.Collections;
using Microsoft.Build.Framework;

namespace LxcSnap.Tasks;

/// <summary>
/// Runs the provisioning targets inside a provisioning transaction: a snapshot before, a
/// snapshot after success, and the container restored to the before snapshot when a
/// provisioning target, or a target it depends on, fails.
///
/// It is one task on purpose. On Ctrl+C MSBuild runs no OnError targets, but it cancels and
/// then waits for the running task, so the rollback in here still happens. The targets are built
/// through the build engine (like the MSBuild task does), so they log and fail as usual.
/// </summary>
public sealed class LxcGuardedProvisioning : LxcSnapTask
{
    /// <summary>The label used when none is set.</summary>
    public const string DefaultLabel = "msbuild";

    [Required]
    public string Container { get; set; } = "";

    /// <summary>The project whose targets provision the container: $(MSBuildProjectFullPath).</summary>
    [Required]
    public string Project { get; set; } = "";

    /// <summary>The targets that provision the container, run in this order.</summary>
    [Required]
    public string[] ProvisioningTargets { get; set; } = [];

    /// <summary>Names the transaction in the store and in <c>lxc-snap -l</c>.</summary>
    public string? Label { get; set; }

    /// <summary>On failure, snapshot the failed state before restoring, for a post-mortem.</summary>
    public bool KeepFailed { get; set; }

    [Output]
    public string? BeforeSnapshot { get; private set; }

    [Output]
    public string? AfterSnapshot { get; private set; }

    /// <summary>Set when provisioning failed: the snapshot the container was restored from.</summary>
    [Output]
    public string? RestoredFrom { get; private set; }

    [Output]
    public string? FailedStateSnapshot { get; private set; }

    protected override bool Run()
    {
        var label = string.IsNullOrWhiteSpace(Label) ? DefaultLabel : Label.Trim();
        var targets = ProvisioningTargets.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToArray();
        if (!ValidContainer(Container, nameof(Container)))
            return false;
        if (targets.Length == 0)
        {
            Error(ErrorCodes.InvalidInput, "no provisioning targets to guard: set LxcSnapProvisioningTargets to the targets that provision the container.");
            return false;
        }

        if (Begin(label) is not { } before)
            return false;
        BeforeSnapshot = before;
        Log.LogMessage(MessageImportance.High, "LxcSnap: provisioning '{0}' of {1}: before snapshot {2}", label, Container, before);

        var provisioned = false;
        try
        {
            provisioned = !Cancellation.IsCancellationRequested
                          && BuildEngine.BuildProjectFile(Project, targets, CurrentGlobalProperties(), null)
                          && !Cancellation.IsCancellationRequested;
        }
        finally
        {
            if (provisioned)
                Succeed(label);
            else
                RollBack(label, targets);
        }
        return provisioned && !Log.HasLoggedErrors;
    }

    /// <summary>
    /// Takes the before snapshot. A transaction with our label still open means an earlier build
    /// died during provisioning (killed, machine reset): lxc-snap restores that container first.
    /// </summary>
    private string? Begin(string label)
    {
        var begin = RunLxcSnapOutcome("begin", Container, "--label", label, "--recover");
        if (!begin.Succeeded)
        {
            Error(ErrorCodes.ForKind(begin.ErrorKind), begin.ErrorMessage);
            return null;
        }
        var begun = begin.Json!.Value;
        if (begun.TryGetProperty("rolledBackFirst", out var interrupted))
        {
            Warning(ErrorCodes.InterruptedTransactionRolledBack,
                $"an earlier build was interrupted while provisioning '{Container}' ('{label}'): the container was restored to {Text(interrupted, "before")} before this build began.");
        }
        return Text(begun, "before");
    }

    private void Succeed(string label)
    {
        var end = RunLxcSnapOutcome("end", Container, "--label", label, "--success");
        if (!end.Succeeded)
        {
            Error(ErrorCodes.ForKind(end.ErrorKind), end.ErrorMessage);
            return;
        }
        AfterSnapshot = Text(end.Json!.Value, "after");
        Log.LogMessage(MessageImportance.High, "LxcSnap: provisioning '{0}' of {1} succeeded: after snapshot {2}", label, Container, AfterSnapshot);
    }

    /// <summary>Restores the container; never cancelled, because a half-done restore helps nobody.</summary>
    private void RollBack(string label, string[] targets)
    {
        var why = Cancellation.IsCancellationRequested ? "was cancelled" : "failed";
        string[] arguments = KeepFailed
            ? ["end", Container, "--label", label, "--failure", "--keep-failed"]
            : ["end", Container, "--label", label, "--failure"];
        var end = RunLxcSnapOutcome(cancellable: false, arguments);
        if (!end.Succeeded)
        {
            Error(end.ErrorKind == "rollbackFailed" ? ErrorCodes.RollbackFailed : ErrorCodes.ForKind(end.ErrorKind),
                $"provisioning ({string.Join(";", targets)}) {why}, and restoring '{Container}' failed too: {end.ErrorMessage}");
            return;
        }
        RestoredFrom = Text(end.Json!.Value, "before");
        FailedStateSnapshot = Text(end.Json!.Value, "failedState") is { Length: > 0 } failed ? failed : null;
        var kept = FailedStateSnapshot is null ? "" : $" The failed state is kept as snapshot {FailedStateSnapshot}.";
        Error(Cancellation.IsCancellationRequested ? ErrorCodes.Cancelled : ErrorCodes.ProvisioningFailedRestored,
            $"provisioning ({string.Join(";", targets)}) {why}: container '{Container}' was restored to its snapshot {RestoredFrom}.{kept}");
    }

    private Hashtable? CurrentGlobalProperties() =>
        BuildEngine is IBuildEngine6 engine ? new Hashtable(engine.GetGlobalProperties().ToDictionary(p => p.Key, p => p.Value)) : null;
}
