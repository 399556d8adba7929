using System.Collections;
using LxcSnap.Core;
using LxcSnap.Core.Provisioning;
using Microsoft.Build.Framework;

namespace LxcSnap.Tasks;

/// <summary>
/// Runs the provisioning targets inside a provisioning transaction: a snapshot before, a
/// snapshot after success, and the container restored to the before snapshot when a
/// provisioning target, or a target it depends on, fails, or the build is cancelled. The sequence
/// is LxcSnap.Core's <see cref="ProvisioningRunner"/>; its steps run in lxc-snap processes.
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

    /// <summary>After success, keep only the newest N snapshots of the container (LxcSnapKeep; empty: keep all).</summary>
    public string? Keep { get; set; }

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
        int? keep = null;
        if (!string.IsNullOrWhiteSpace(Keep))
        {
            if (!int.TryParse(Keep.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var newest) || newest < 1)
            {
                Error(ErrorCodes.InvalidInput, $"LxcSnapKeep is '{Keep}': set it to the number of snapshots of the container to keep after provisioning, 1 or more, or leave it empty to keep them all.");
                return false;
            }
            keep = newest;
        }

        // The label is this project's every build: one left open can only be from a build that
        // died during provisioning (killed, machine reset), and it is restored first.
        var request = new ProvisioningRequest(Container, label, KeepFailed, OpenTransactionPolicy.RecoverSameLabel, keep);
        var runner = new ProvisioningRunner(LxcSnap());
        try
        {
            var (begun, interrupted) = runner.Begin(request, Cancellation);
            BeforeSnapshot = begun.Before;
            if (interrupted is not null)
            {
                Warning(ErrorCodes.InterruptedTransactionRolledBack,
                    $"an earlier build was interrupted while provisioning '{Container}' ('{label}'): the container was restored to {interrupted.Before} before this build began.");
            }
        }
        catch (LxcSnapException e)
        {
            Error(e);
            return false;
        }
        Log.LogMessage(MessageImportance.High, "LxcSnap: provisioning '{0}' of {1}: before snapshot {2}", label, Container, BeforeSnapshot);

        var provisioned = false;
        try
        {
            provisioned = !Cancellation.IsCancellationRequested
                          && BuildEngine.BuildProjectFile(Project, targets, CurrentGlobalProperties(), null);
        }
        finally
        {
            End(runner, request, ProvisioningRunner.Judge(provisioned, Cancellation.IsCancellationRequested), targets);
        }
        return provisioned && !Cancellation.IsCancellationRequested && !Log.HasLoggedErrors;
    }

    /// <summary>The after snapshot, or the restore; never cancelled, because a half-done restore helps nobody.</summary>
    private void End(ProvisioningRunner runner, ProvisioningRequest request, ProvisioningResult result, string[] targets)
    {
        var why = result == ProvisioningResult.Cancelled ? "was cancelled" : "failed";
        ProvisioningRecord ended;
        try
        {
            ended = runner.End(request, result);
        }
        catch (LxcSnapException e)
        {
            var message = MSBuildWording.Instance.Message(e);
            if (result == ProvisioningResult.Succeeded)
                Error(e);
            else
                Error(e.Error == LxcSnapError.RollbackFailed ? ErrorCodes.RollbackFailed : ErrorCodes.For(e.Error),
                    $"provisioning ({string.Join(";", targets)}) {why}, and restoring '{Container}' failed too: {message}");
            return;
        }
        if (result == ProvisioningResult.Succeeded)
        {
            AfterSnapshot = ended.After;
            Log.LogMessage(MessageImportance.High, "LxcSnap: provisioning '{0}' of {1} succeeded: after snapshot {2}", ended.Label, Container, AfterSnapshot);
            if (ended.Pruned.Count > 0)
                Log.LogMessage(MessageImportance.High, "LxcSnap: pruned {0} of {1}, keeping the newest {2} (LxcSnapKeep)", string.Join(", ", ended.Pruned), Container, request.Keep);
            return;
        }
        RestoredFrom = ended.Before;
        FailedStateSnapshot = ended.FailedState;
        var kept = FailedStateSnapshot is null ? "" : $" The failed state is kept as snapshot {FailedStateSnapshot}.";
        Error(result == ProvisioningResult.Cancelled ? ErrorCodes.Cancelled : ErrorCodes.ProvisioningFailedRestored,
            $"provisioning ({string.Join(";", targets)}) {why}: container '{Container}' was restored to its snapshot {RestoredFrom}.{kept}");
    }

    private Hashtable? CurrentGlobalProperties() =>
        BuildEngine is IBuildEngine6 engine ? new Hashtable(engine.GetGlobalProperties().ToDictionary(p => p.Key, p => p.Value)) : null;
}
