using LxcSnap.Core;
using LxcSnap.Core.Client;
using LxcSnap.Core.Provisioning;
using LxcSnap.Core.Store;
using Nuke.Common;
using Nuke.Common.Utilities.Collections;
using Serilog;

namespace LxcSnap.Nuke;

/// <summary>
/// Snapshots an LXC container before the build's provisioning targets, snapshots it again after
/// they succeeded, and restores it when the build failed or was cancelled. Add the interface to
/// the build class and mark each provisioning target with <c>.DependsOnContext&lt;ILxcSnapshots&gt;()</c>:
/// NUKE then runs <see cref="LxcSnapshotBefore"/> before it and <see cref="LxcSnapshotAfterOrRestore"/>
/// after it, also when a target failed or the build is cancelled (a <c>Cleanup</c> is always
/// assured after failure, and NUKE runs assured targets on Ctrl+C).
/// </summary>
/// <remarks>
/// Glue only: the sequence is LxcSnap.Core's <see cref="ProvisioningRunner"/>, through a
/// <see cref="ProvisioningGuard"/> whose steps run in lxc-snap processes: liblxc forks inside
/// its caller, and a NUKE build is a long-lived multithreaded process. Interfaces hold no state,
/// so each step makes its own guard from the parameters; the open transaction is kept in the
/// snapshot store.
/// </remarks>
[ParameterPrefix(Lxc)]
public interface ILxcSnapshots : INukeBuild
{
    /// <summary>The parameter prefix: <c>--lxc-container web</c>, or LXC_CONTAINER=web in the environment.</summary>
    public const string Lxc = nameof(Lxc);

    [Parameter("LXC container the provisioning targets change")]
    string? Container => TryGetValue(() => Container);

    [Parameter("lxcpath of the container (default: LXC's lxc.lxcpath, usually /var/lib/lxc)", Name = "Path")]
    string? LxcPath => TryGetValue(() => LxcPath);

    [Parameter("Snapshot store (default: $LXCSNAP_STORE, else the lxcpath followed by 'snaps')")]
    string? SnapshotPath => TryGetValue(() => SnapshotPath);

    [Parameter("Label of the provisioning transaction (default: 'provisioning')")]
    string? Label => TryGetValue(() => Label);

    [Parameter("On failure, snapshot the failed state before restoring, for a post-mortem")]
    bool KeepFailed => TryGetValue<bool?>(() => KeepFailed) ?? false;

    [Parameter("After a successful provisioning, keep only the newest N snapshots of the container (default: all)")]
    int? Keep => TryGetValue<int?>(() => Keep);

    [Parameter("lxc-snap to run: an executable or lxc-snap.dll (default: the one in the LxcSnap.Nuke package, else lxc-snap on PATH)")]
    string? Cli => TryGetValue(() => Cli);

    Setup LxcSnapshotBefore => _ => _
        .Description("Snapshots the LXC container before provisioning")
        .Requires(() => Container)
        .Executes(() => Summarize(InHostTerms(() => LxcProvisioningGuard().SnapshotBefore())));

    Cleanup LxcSnapshotAfterOrRestore => _ => _
        .Description("Snapshots the LXC container after provisioning, or restores it if the build failed or was cancelled")
        // Only a transaction this build began is ended: when the before snapshot failed (say the
        // container has an open transaction from another build), there is nothing to restore.
        .OnlyWhenDynamic(() => SucceededTargets.Contains(LxcSnapshotBefore))
        .Executes(() =>
        {
            // Cancelled (Ctrl+C, or SIGINT to the build, the way CI cancels), NUKE runs this
            // Cleanup while the interrupted target is still Running, and IsFailing is false then:
            // another running target is the sign. A cancellation is never recorded as success.
            var interrupted = RunningTargets.Count > 1;
            var result = ProvisioningRunner.Judge(provisioned: !IsFailing, stopRequested: interrupted);
            if (result == ProvisioningResult.Cancelled)
                Log.Warning("LxcSnap: the build was cancelled during provisioning: restoring {Container}", Container);
            Summarize(InHostTerms(() => LxcProvisioningGuard().SnapshotAfterOrRestore(result)));
        });

    private ProvisioningGuard LxcProvisioningGuard()
    {
        if (Keep < 1)
            throw new LxcSnapException(LxcSnapError.InvalidArgument, $"--lxc-keep is {Keep}: pass the number of snapshots to keep after provisioning, 1 or more, or leave it out to keep them all.");
        return new(new LxcSnapProcessSteps(LxcSnapCli(), LxcPath, SnapshotPath, line => Log.Information("{Notice}", line), LxcSnapCaller()),
            Container!, Label, KeepFailed, notice => Log.Information("{Notice}", notice), Keep);
    }

    /// <summary>
    /// This build, recorded in the snapshots it takes: its class and the targets it was invoked
    /// with, or its default target when it was given none (InvokedTargets is empty then).
    /// </summary>
    private LxcSnapCaller LxcSnapCaller()
    {
        var invoked = InvokedTargets.Count > 0 ? InvokedTargets : ExecutionPlan.Where(target => target.IsDefault);
        return new(Provenance.NukeTool, $"build {GetType().Name}, target {string.Join(';', invoked.Select(target => target.Name))}");
    }

    /// <summary>The step, with an lxc-snap error's remedies worded as this component's parameters.</summary>
    private static ProvisioningRecord InHostTerms(Func<ProvisioningRecord> step)
    {
        try
        {
            return step();
        }
        catch (LxcSnapException e)
        {
            throw new LxcSnapException(e.Error, NukeWording.Instance.Message(e), e);
        }
    }

    /// <summary>
    /// One pair in NUKE's end-of-build summary: the container and the snapshot taken or restored.
    /// ReportSummary finds its target as the one Running, so after a cancellation (two running) the
    /// line goes to the log only.
    /// </summary>
    private void Summarize(ProvisioningRecord record)
    {
        var summary = ProvisioningGuard.Summary(record);
        Log.Information("LxcSnap: {Container}: {Summary}", record.Container, summary);
        if (RunningTargets.Count == 1)
            ReportSummary(pairs => pairs.AddPair(record.Container, summary));
    }

    /// <summary>The lxc-snap to run: the parameter, else the package's own (tools/lxc-snap), else lxc-snap on PATH.</summary>
    private string LxcSnapCli()
    {
        if (!string.IsNullOrEmpty(Cli))
            return Cli;
        var packaged = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(ILxcSnapshots).Assembly.Location)!, "..", "..", "tools", "lxc-snap", "lxc-snap.dll"));
        if (File.Exists(packaged))
            return packaged;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "lxc-snap"))
            .FirstOrDefault(File.Exists) ?? "lxc-snap";
    }
}
