using LxcSnap.Core.Provisioning;
using Nuke.Common;
using Nuke.Common.Utilities.Collections;
using Serilog;

namespace LxcSnap.Nuke;

/// <summary>
/// Snapshots an LXC container before the build's provisioning targets, snapshots it again after
/// they succeeded, and restores it when the build failed. Add the interface to the build class and
/// mark each provisioning target with <c>.DependsOnContext&lt;ILxcSnapshots&gt;()</c>:
/// NUKE then runs <see cref="LxcSnapshotBefore"/> before it and <see cref="LxcSnapshotAfterOrRestore"/>
/// after it, also when a target failed (a <c>Cleanup</c> is always assured after failure).
/// </summary>
/// <remarks>
/// Glue only: every step is a call into <see cref="ProvisioningGuard"/> (LxcSnap.Core), whose
/// behaviour the LxcSnap test suite covers against real LXC. Interfaces hold no state, so each step
/// makes its own guard from the parameters; the open transaction is kept in the snapshot store.
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

    Setup LxcSnapshotBefore => _ => _
        .Description("Snapshots the LXC container before provisioning")
        .Requires(() => Container)
        .Executes(() =>
        {
            var begun = LxcProvisioningGuard().SnapshotBefore();
            ReportSummary(summary => summary.AddPair(begun.Container, ProvisioningGuard.Summary(begun)));
        });

    Cleanup LxcSnapshotAfterOrRestore => _ => _
        .Description("Snapshots the LXC container after provisioning, or restores it if the build failed")
        // Only a transaction this build began is ended: when the before snapshot failed (say the
        // container has an open transaction from an interrupted build), there is nothing to restore.
        .OnlyWhenDynamic(() => SucceededTargets.Contains(LxcSnapshotBefore))
        .Executes(() =>
        {
            var ended = LxcProvisioningGuard().SnapshotAfterOrRestore(provisioningFailed: IsFailing);
            ReportSummary(summary => summary.AddPair(ended.Container, ProvisioningGuard.Summary(ended)));
        });

    private ProvisioningGuard LxcProvisioningGuard() =>
        new(Container!, LxcPath, SnapshotPath, Label, KeepFailed, notice => Log.Information("{Notice}", notice));
}
