using LxcSnap.Cli;
using LxcSnap.Core.Containers;
using LxcSnap.Core.Provisioning;
using LxcSnap.Core.Store;

namespace LxcSnap.Tests.Unit;

/// <summary>Who made a snapshot, as <see cref="Provenance.FromEnvironment"/> reads it and <c>-l NAME</c> prints it.</summary>
[Trait("Category", "Unit")]
public sealed class ProvenanceTests
{
    private static readonly Dictionary<string, string> GitHubActions = new()
    {
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_RUN_ID"] = "4242",
        ["GITHUB_RUN_ATTEMPT"] = "2",
        ["GITHUB_REPOSITORY"] = "octo/web",
        ["GITHUB_SHA"] = "0123456789abcdef0123456789abcdef01234567",
        ["GITHUB_SERVER_URL"] = "https://github.com",
        ["GITHUB_WORKFLOW"] = "deploy",
        ["GITHUB_JOB"] = "provision",
    };

    [Fact]
    public void Outside_CI_it_is_the_command_the_user_and_the_host()
    {
        var provenance = Provenance.FromEnvironment(new Dictionary<string, string> { ["HOME"] = "/root" }, "snapshot", "root", "vm");

        Assert.Equal(new Provenance { Tool = "lxc-snap", Command = "snapshot", User = "root", Host = "vm" }, provenance);
    }

    [Fact]
    public void Under_sudo_it_names_the_user_who_ran_sudo_too()
    {
        var provenance = Provenance.FromEnvironment(new Dictionary<string, string> { ["SUDO_USER"] = "alice" }, "snapshot", "root", "vm");

        Assert.Equal(("root", "alice"), (provenance.User, provenance.SudoUser));
    }

    [Fact]
    public void In_GitHub_Actions_it_records_the_run_with_its_url()
    {
        var provenance = Provenance.FromEnvironment(GitHubActions, "begin", "runner", "ci-host");

        Assert.Equal(new ContinuousIntegrationRun("4242", "2", "octo/web", "0123456789abcdef0123456789abcdef01234567",
            "https://github.com/octo/web/actions/runs/4242/attempts/2", "deploy", "provision"), provenance.Ci);
    }

    [Fact]
    public void The_variables_a_front_end_passes_on_are_every_one_the_run_is_read_from()
    {
        var passedOn = ContinuousIntegrationRun.Variables.ToDictionary(name => name, name => GitHubActions[name]);

        Assert.Equal(Provenance.FromEnvironment(GitHubActions, "end", null, null).Ci, Provenance.FromEnvironment(passedOn, "end", null, null).Ci);
    }

    [Fact]
    public void GitHub_variables_without_GITHUB_ACTIONS_true_are_no_run()
    {
        var elsewhere = new Dictionary<string, string>(GitHubActions) { ["GITHUB_ACTIONS"] = "" };

        Assert.Null(Provenance.FromEnvironment(elsewhere, "snapshot", "root", "vm").Ci);
    }

    [Fact]
    public void A_front_end_running_lxc_snap_names_itself_and_its_detail()
    {
        var environment = new Dictionary<string, string>
        {
            [Provenance.MadeByVariable] = "msbuild",
            [Provenance.MadeByDetailVariable] = "LxcGuardedProvisioning task, project /src/web.csproj, targets Provision",
        };

        var provenance = Provenance.FromEnvironment(environment, "begin", "root", "vm");

        Assert.Equal(("msbuild", "begin", "LxcGuardedProvisioning task, project /src/web.csproj, targets Provision"),
            (provenance.Tool, provenance.Command, provenance.Detail));
    }

    [Theory]
    [InlineData("make")]
    [InlineData("githubAction")]   // runs the engine itself: it cannot be named through lxc-snap's environment
    public void Only_a_front_end_that_runs_lxc_snap_as_a_process_may_name_itself_there(string madeBy)
    {
        var environment = new Dictionary<string, string> { [Provenance.MadeByVariable] = madeBy, [Provenance.MadeByDetailVariable] = "all" };

        var provenance = Provenance.FromEnvironment(environment, "snapshot", "root", "vm");

        Assert.Equal(("lxc-snap", null), (provenance.Tool, provenance.Detail));
    }

    [Fact]
    public void A_detail_is_cut_to_a_line_for_people()
    {
        var environment = new Dictionary<string, string> { [Provenance.MadeByVariable] = "nuke", [Provenance.MadeByDetailVariable] = new string('x', 5000) };

        Assert.Equal(Provenance.MaxDetailLength, Provenance.FromEnvironment(environment, "end", "root", "vm").Detail!.Length);
    }

    [Fact]
    public void The_listing_says_who_made_a_snapshot_in_one_line_after_its_others()
    {
        var output = new StringWriter();
        var snapshot = new SnapshotInfo(new SnapshotName("web", 3), new ContainerRef("/var/lib/lxcsnaps", "web_3"), "2026:11:28 10:00:00", null)
        {
            Provenance = Provenance.FromEnvironment(new Dictionary<string, string>(GitHubActions)
            {
                [Provenance.MadeByVariable] = "msbuild",
                [Provenance.MadeByDetailVariable] = "LxcGuardedProvisioning task, project /src/web.csproj, targets Provision",
                ["SUDO_USER"] = "alice",
            }, "begin", "root", "vm"),
        };

        new TextResultWriter(output).Snapshots(new SnapshotStore("/var/lib/lxcsnaps"), "web", [snapshot], new Dictionary<string, SnapshotRole>());

        Assert.Equal(
            "web 3\t2026:11:28 10:00:00\n" +
            "Made by: msbuild begin (LxcGuardedProvisioning task, project /src/web.csproj, targets Provision), root@vm (sudo from alice), " +
            "GitHub Actions run https://github.com/octo/web/actions/runs/4242/attempts/2\n",
            output.ToString());
    }

    [Fact]
    public void What_a_provenance_file_holds_reaches_the_terminal_escaped()
    {
        var hostile = new Provenance { Tool = "lxc-snap\x1b]0;pwned\a", Command = "snapshot\nweb 9", User = "root", Host = "vm\r" };

        Assert.Equal(@"lxc-snap\e]0;pwned\x07 snapshot\nweb 9, root@vm\r", TextResultWriter.MadeBy(hostile));
    }
}
