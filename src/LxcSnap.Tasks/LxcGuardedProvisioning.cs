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

    /// <summary>On failure, snapshot the failed state before restoring, for a post-mortem (LxcSnapKeepFailed).</summary>
    public string? KeepFailed { get; set; }

    /// <summary>After success, keep only the newest N snapshots of the container (LxcSnapKeep; empty: keep all).</summary>
    public string? Keep { get; set; }

    /// <summary>
    /// The files the provisioning targets read (LxcSnapProvisioningInputs). When their content and
    /// the targets are those of the label's last successful provisioning, nothing is done.
    /// </summary>
    public ITaskItem[] Inputs { get; set; } = [];

    /// <summary>Provision even when the inputs are unchanged (LxcSnapForce).</summary>
    public string? Force { get; set; }

    /// <summary>Abandon an open transaction of the container instead of refusing, its before snapshot kept (LxcSnapReplaceOpen; lxc-snap begin --replace).</summary>
    public string? ReplaceOpen { get; set; }

    [Output]
    public string? BeforeSnapshot { get; private set; }

    /// <summary>The after snapshot taken; when provisioning was up to date, the earlier one its inputs match.</summary>
    [Output]
    public string? AfterSnapshot { get; private set; }

    /// <summary>True when provisioning was skipped because its inputs are unchanged.</summary>
    [Output]
    public bool UpToDate { get; private set; }

    /// <summary>Set when provisioning failed: the snapshot the container was restored from.</summary>
    [Output]
    public string? RestoredFrom { get; private set; }

    [Output]
    public string? FailedStateSnapshot { get; private set; }

    /// <remarks>The task runs in the package's targets file: the project is the one they provision, with its targets.</remarks>
    private protected override string ProvenanceDetail =>
        $"{nameof(LxcGuardedProvisioning)} task, project {Project}, targets {string.Join(';', Targets)}";

    /// <summary>The provisioning targets as given, empty entries left out.</summary>
    private string[] Targets => ProvisioningTargets.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToArray();

    protected override bool Run()
    {
        var label = string.IsNullOrWhiteSpace(Label) ? DefaultLabel : Label.Trim();
        var targets = Targets;
        if (targets.Length == 0)
        {
            Error(ErrorCodes.InvalidInput, "no provisioning targets to guard: set LxcSnapProvisioningTargets to the targets that provision the container.");
            return false;
        }
        if (!ValidContainer(Container, nameof(Container))
            || !TryFlag(KeepFailed, "LxcSnapKeepFailed", out var keepFailed)
            || !TryFlag(Force, "LxcSnapForce", out var force)
            || !TryFlag(ReplaceOpen, "LxcSnapReplaceOpen", out var replaceOpen)
            || !TryKeep(out var keep)
            || !TargetsExist(targets))
        {
            return false;
        }

        string? inputsHash = null;
        if (Inputs.Length == 0)
        {
            Log.LogMessage(MessageImportance.High,
                "LxcSnap: every build provisions {0} again, with two snapshots: declare the files the provisioning targets read as LxcSnapProvisioningInputs items, and a build whose inputs are unchanged skips it.",
                Container);
        }
        else
        {
            var (fingerprint, notFiles) = ProvisioningInputs.Fingerprint(targets, Inputs.Select(i => i.ItemSpec), Path.GetDirectoryName(Project) ?? "");
            foreach (var notFile in notFiles)
                Warning(ErrorCodes.InputNotAFile, $"LxcSnapProvisioningInputs '{notFile}' is not a file, so provisioning counts as changed on every build: correct the item or remove it.");
            inputsHash = fingerprint;
        }

        // The label is this project's every build: one left open can only be from a build that
        // died during provisioning (killed, machine reset), and it is restored first.
        var request = new ProvisioningRequest(Container, label, keepFailed,
            replaceOpen ? OpenTransactionPolicy.Abandon : OpenTransactionPolicy.RecoverSameLabel, keep,
            inputsHash, SkipIfUnchanged: inputsHash is not null && !force);
        var runner = new ProvisioningRunner(LxcSnap());
        try
        {
            var (begun, interrupted, upToDate) = runner.Begin(request, Cancellation);
            if (upToDate)
            {
                UpToDate = true;
                BeforeSnapshot = begun.Before;
                AfterSnapshot = begun.After;
                Log.LogMessage(MessageImportance.High,
                    "LxcSnap: provisioning '{0}' of {1} is up to date: its LxcSnapProvisioningInputs are unchanged since after snapshot {2}; skipped {3} (LxcSnapForce=true provisions anyway).",
                    label, Container, AfterSnapshot, string.Join(";", targets));
                return true;
            }
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

    private bool TryKeep(out int? keep)
    {
        keep = null;
        if (string.IsNullOrWhiteSpace(Keep))
            return true;
        if (int.TryParse(Keep.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var newest) && newest >= 1)
        {
            keep = newest;
            return true;
        }
        Error(ErrorCodes.InvalidInput, $"LxcSnapKeep is '{Keep}': set it to the number of snapshots of the container to keep after provisioning, 1 or more, or leave it empty to keep them all.");
        return false;
    }

    /// <summary>Every provisioning target must exist before the before snapshot: a typo found by MSB4057 would come after it, and a restore.</summary>
    private bool TargetsExist(string[] targets)
    {
        IReadOnlyList<string> missing;
        IReadOnlyCollection<string> defined;
        string? unknown;
        try
        {
            (missing, defined, unknown) = ProjectTargets.Check(Project, targets, GlobalProperties());
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException)
        {
            // Microsoft.Build is MSBuild's own, never shipped: outside MSBuild (a test's build engine) there is none.
            (missing, defined, unknown) = ([], [], e.Message);
        }
        if (unknown is not null)
        {
            // Not a broken project: the build that runs evaluated it. The targets are built all the
            // same, and one that is missing still fails the build (MSB4057).
            Log.LogMessage(MessageImportance.Normal, "LxcSnap: could not check that the provisioning targets exist before the snapshot: {0}", unknown);
            return true;
        }
        foreach (var target in missing)
        {
            var meant = Spelling.Nearest(target, defined, maxEdits: Math.Max(1, target.Length / 4), ignoreCase: true);
            Error(ErrorCodes.InvalidInput,
                $"LxcSnapProvisioningTargets names '{target}', which {Path.GetFileName(Project)} does not define: " +
                (meant is null ? "define it, or correct the name." : $"did you mean '{meant}'?") + " Nothing was snapshotted.");
        }
        return missing.Count == 0;
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
        BuildEngine is IBuildEngine6 ? new Hashtable(GlobalProperties().ToDictionary(p => p.Key, p => p.Value)) : null;

    private Dictionary<string, string> GlobalProperties() =>
        BuildEngine is IBuildEngine6 engine ? engine.GetGlobalProperties().ToDictionary(p => p.Key, p => p.Value) : [];
}
