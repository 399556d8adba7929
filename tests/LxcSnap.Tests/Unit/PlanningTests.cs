using LxcSnap.Core;
using LxcSnap.Core.Containers;
using LxcSnap.Core.Interop;
using LxcSnap.Core.Retention;
using LxcSnap.Core.Snapshots;
using LxcSnap.Core.Store;

namespace LxcSnap.Tests.Unit;

/// <summary>The decisions the engine makes before it touches a container: how to copy, what to prune.</summary>
[Trait("Category", "Unit")]
public sealed class PlanningTests
{
    [Fact]
    public void An_overlay_container_is_copied_as_a_snapshot_of_its_delta_sharing_the_lower_layer()
    {
        var plan = CopyPlan.For(BackingStore.Parse("overlay:/lxc/base/rootfs:/lxc/web/overlay/delta"), keepIdentity: true, allowRunning: false);

        Assert.True(plan.Flags.HasFlag(CloneFlags.Snapshot));
        Assert.True(plan.Flags.HasFlag(CloneFlags.KeepName) && plan.Flags.HasFlag(CloneFlags.KeepMacAddress));
        Assert.True(plan.OwnCopy);
        Assert.Null(plan.BackingStoreType);
    }

    [Fact]
    public void A_dir_container_is_copied_whole_by_lxc_snap_itself_never_as_an_overlay_of_the_live_rootfs()
    {
        var plan = CopyPlan.For(BackingStore.Parse("dir:/lxc/web/rootfs"), keepIdentity: false, allowRunning: true);

        Assert.False(plan.Flags.HasFlag(CloneFlags.Snapshot));
        Assert.True(plan.OwnCopy);
        Assert.Equal("dir", plan.BackingStoreType);
        Assert.True(plan.Flags.HasFlag(CloneFlags.AllowRunning));
        Assert.False(plan.Flags.HasFlag(CloneFlags.KeepName));
    }

    [Theory]
    [InlineData("btrfs:/lxc/web/rootfs")]
    [InlineData("zfs:pool/web")]
    [InlineData("lvm:/dev/vg/web")]
    public void Native_snapshots_may_fall_back_to_a_full_copy(string rootfs)
    {
        var plan = CopyPlan.For(BackingStore.Parse(rootfs, _ => false), keepIdentity: true, allowRunning: false);

        Assert.True(plan.Flags.HasFlag(CloneFlags.Snapshot));
        Assert.True(plan.MayFallBackToFullCopy);
        var fallback = plan.AsFullCopy();
        Assert.False(fallback.Flags.HasFlag(CloneFlags.Snapshot));
        Assert.Equal("dir", fallback.BackingStoreType);
        Assert.False(fallback.MayFallBackToFullCopy);
    }

    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Local);

    private static SnapshotInfo Taken(int version, TimeSpan ago) =>
        new(new SnapshotName("web", version), new ContainerRef("/s", $"web_{version}"), SnapshotMetadata.FormatTimestamp(Now - ago), null);

    private static readonly SnapshotInfo[] Five =
        [Taken(0, TimeSpan.FromDays(10)), Taken(1, TimeSpan.FromDays(8)), Taken(2, TimeSpan.FromDays(3)), Taken(3, TimeSpan.FromHours(5)), Taken(4, TimeSpan.FromMinutes(1))];

    private static List<string> Removed(List<PruneDecision> decisions) =>
        decisions.Where(d => d.Remove).Select(d => d.Snapshot.Name.ToString()).ToList();

    [Fact]
    public void Pruning_keeps_the_newest_n_and_never_an_open_transactions_before_snapshot_nor_one_in_use()
    {
        var decisions = SnapshotPruner.Decide(Five, new HashSet<string> { "web_1" },
            snapshot => snapshot.Name.Version == 0 ? [new ContainerRef("/lxc", "child")] : [], new PrunePolicy(Keep: 2, OlderThan: null), Now);

        Assert.Equal(["web_2"], Removed(decisions));
        Assert.Equal(["web_0", "web_1", "web_2", "web_3", "web_4"], decisions.Select(d => d.Snapshot.Name.ToString()));
        Assert.Contains("'child' in /lxc depend on it", decisions[0].Reason);
        Assert.Equal("the before snapshot of an open provisioning transaction", decisions[1].Reason);
    }

    [Fact]
    public void Pruning_by_age_takes_only_the_older_ones_and_keeps_one_without_a_time()
    {
        var undated = new SnapshotInfo(new SnapshotName("web", 5), new ContainerRef("/s", "web_5"), null, null);

        var decisions = SnapshotPruner.Decide([.. Five, undated], new HashSet<string>(), _ => [], new PrunePolicy(Keep: null, OlderThan: TimeSpan.FromDays(7)), Now);

        Assert.Equal(["web_0", "web_1"], Removed(decisions));
        Assert.Equal("its time is unknown (no ts file)", decisions.Single(d => d.Snapshot.Name.Version == 5).Reason);
    }

    [Theory]
    [InlineData(null, null, "pruning needs a number of snapshots to keep, an age, or both")]
    [InlineData(-1, null, "the number of snapshots to keep must be 0 or more, not -1")]
    public void A_policy_without_a_rule_is_refused(int? keep, double? days, string message)
    {
        var policy = new PrunePolicy(keep, days is null ? null : TimeSpan.FromDays(days.Value));
        Assert.Contains(message, Assert.Throws<LxcSnapException>(policy.Validate).Message);
    }
}
