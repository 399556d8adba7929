using LxcSnap.Tasks;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.MSBuild;

/// <summary>
/// The LxcSnap tasks under a recording build engine, running the real lxc-snap against real LXC:
/// their outputs, the items they list, and the LXS codes of their errors.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class TaskTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();
    private readonly RecordingBuildEngine _engine = new();

    private T Task<T>(T task) where T : LxcSnapTask
    {
        task.BuildEngine = _engine;
        task.LxcPath = _sandbox.LxcPath;
        task.CliPath = PublishedCli.Path;
        return task;
    }

    [Fact]
    public void Provenance_of_a_task_snapshot_names_msbuild_the_task_and_its_project()
    {
        _sandbox.CreateBusybox("web");

        Assert.True(Task(new LxcSnapshot { Container = "web" }).Execute(), string.Join("\n", _engine.Errors.Select(e => e.Message)));

        Assert.EndsWith($"Made by: msbuild snapshot (LxcSnapshot task, project {_engine.ProjectFileOfTaskNode}), {ThisMachine.UserAtHost}\n",
            PublishedCli.Run(_sandbox.Cli("-l", "web")).Stdout);
    }

    [Fact]
    public void Snapshot_lists_and_destroy_work_through_the_tasks()
    {
        _sandbox.CreateBusybox("web");

        var snapshot = Task(new LxcSnapshot { Container = "web", Comment = "before the upgrade\n" });
        Assert.True(snapshot.Execute(), string.Join("\n", _engine.Errors.Select(e => e.Message)));
        Assert.True(Task(new LxcSnapshot { Container = "web" }).Execute());
        var list = Task(new LxcListSnapshots { Container = "web" });
        Assert.True(list.Execute());
        var containers = Task(new LxcListSnapshots());
        Assert.True(containers.Execute());

        Assert.Equal("web_0", snapshot.Snapshot!.ItemSpec);
        Assert.Equal(["web_0", "web_1"], list.Snapshots.Select(i => i.ItemSpec));
        Assert.Equal(["0", "1"], list.Snapshots.Select(i => i.GetMetadata("Version")));
        Assert.Equal("before the upgrade", list.Snapshots[0].GetMetadata("Comment"));
        Assert.Matches(@"^\d{4}:\d\d:\d\d \d\d:\d\d:\d\d$", list.Snapshots[0].GetMetadata("Timestamp"));
        Assert.Equal("dir", list.Snapshots[0].GetMetadata("BackingStore"));
        Assert.Equal(["web"], containers.Containers.Select(i => i.ItemSpec));

        Assert.True(Task(new LxcDestroySnapshot { Snapshot = "web_0" }).Execute());
        Assert.Equal(["web_1"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        Assert.Empty(_engine.Errors);
    }

    [Fact]
    public void Restore_makes_the_container_and_force_replaces_one()
    {
        var web = _sandbox.CreateBusybox("web");
        LxcSandbox.WriteFile(web, "/srv/version", "1");
        Assert.True(Task(new LxcSnapshot { Container = "web" }).Execute());
        LxcSandbox.WriteFile(web, "/srv/version", "2");

        var beside = Task(new LxcRestoreSnapshot { Snapshot = "web_0", NewName = "web_old" });
        var over = Task(new LxcRestoreSnapshot { Snapshot = "web_0", NewName = "web", Force = true });

        Assert.True(beside.Execute());
        Assert.Equal("web_old", beside.RestoredContainer);
        Assert.True(over.Execute());
        Assert.Equal("1", LxcSandbox.ReadFile(web, "/srv/version"));
        Assert.Equal("1", LxcSandbox.ReadFile(_sandbox.Container("web_old"), "/srv/version"));
    }

    [Fact]
    public void Errors_carry_stable_codes_and_change_nothing()
    {
        _sandbox.CreateBusybox("web");
        Assert.True(Task(new LxcSnapshot { Container = "web" }).Execute());
        var before = _sandbox.Fingerprint();

        Assert.False(Task(new LxcSnapshot { Container = "nothere" }).Execute());
        Assert.False(Task(new LxcRestoreSnapshot { Snapshot = "web_7", NewName = "x" }).Execute());
        Assert.False(Task(new LxcRestoreSnapshot { Snapshot = "web_0", NewName = "web" }).Execute());
        Assert.False(Task(new LxcSnapshot { Container = "../etc" }).Execute());

        Assert.Equal(["LXS002", "LXS003", "LXS005", "LXS001"], _engine.ErrorCodes);
        Assert.Contains("no container 'nothere'", _engine.Errors[0].Message);
        Assert.All(_engine.Errors, e => Assert.Equal(("/src/provision.proj", 12), (e.File, e.LineNumber)));
        Assert.Empty(before.Differences(_sandbox.Fingerprint()));
    }

    [Fact]
    public void Invalid_names_are_refused_before_lxc_snap_runs()
    {
        var task = Task(new LxcDestroySnapshot { Snapshot = "web" });
        task.CliPath = "/nonexistent/lxc-snap";

        Assert.False(task.Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("LXS001", error.Code);
        Assert.Contains("expected NAME_N", error.Message);
    }

    [Fact]
    public void A_missing_lxc_snap_is_LXS012_with_the_property_to_set()
    {
        var task = Task(new LxcListSnapshots());
        task.CliPath = "/nonexistent/lxc-snap";

        Assert.False(task.Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("LXS012", error.Code);
        Assert.Contains("LxcSnapCliPath", error.Message);
    }

    public void Dispose() => _sandbox.Dispose();
}
