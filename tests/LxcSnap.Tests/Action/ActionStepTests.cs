using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Action;

/// <summary>
/// The action's real entrypoints, run stage by stage as a runner runs a `uses: ./` step, on this
/// machine, which is the LXC host here, against real containers in a temporary lxcpath.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class ActionStepTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    private readonly string _runnerDirectory = Path.Combine(Path.GetTempPath(), "lxcsnap-tests", "runner-" + Guid.NewGuid().ToString("N")[..8]);

    private string AllowlistFile => Path.Combine(_sandbox.Root, "action-allowlist");

    private RunnerHarness Step(string container = "web", string[]? wrapper = null, params (string Key, string Value)[] extra)
    {
        var with = new Dictionary<string, string> { ["container"] = container, ["lxcpath"] = _sandbox.LxcPath };
        foreach (var (key, value) in extra)
            with[key] = value;
        var host = new Dictionary<string, string>
        {
            ["LXCSNAP_ACTION_ALLOWLIST"] = AllowlistFile,
            ["LXCSNAP_ACTION_DOCKER_SOCKET"] = Path.Combine(_sandbox.Root, "no-docker.sock"),
        };
        return new RunnerHarness(_runnerDirectory, with, host) { Wrapper = wrapper ?? [] };
    }

    private void Allow(params string[] lines) => File.WriteAllLines(AllowlistFile, ["# containers the LxcSnap action may touch", .. lines]);

    [Fact]
    public void A_successful_job_gets_a_before_and_an_after_snapshot_and_a_summary_row()
    {
        var web = _sandbox.CreateBusybox("web");
        Allow(Path.Combine(_sandbox.LxcPath, "web"));
        var step = Step();

        step.RunJob(() =>
        {
            LxcSandbox.WriteFile(web, "/srv/app", "deployed");
            return "success";
        });

        var main = step.Stage("main");
        var post = step.Stage("post");
        Assert.True(main.ExitCode == 0, main.ToString());
        Assert.True(post.ExitCode == 0, post.ToString());
        Assert.Equal("web_0", main.Outputs["before-snapshot"]);
        Assert.Equal("web_0", main.State["before"]);
        Assert.Equal("github-4242-1-provision", main.State["label"]);
        Assert.True(post.Outputs.ContainsKey("after-snapshot"), post.ToString());
        Assert.Equal("web_1", post.Outputs["after-snapshot"]);
        Assert.Equal("succeeded", post.Outputs["outcome"]);
        Assert.Null(LxcSandbox.ReadFile(_sandbox.Snapshot("web_0"), "/srv/app"));
        Assert.Equal("deployed", LxcSandbox.ReadFile(_sandbox.Snapshot("web_1"), "/srv/app"));
        Assert.Equal("deployed", LxcSandbox.ReadFile(web, "/srv/app"));
        Assert.Contains("| Container | Snapshot | Outcome | Duration |", post.Summary);
        Assert.Matches(@"\| web \| web_0 → web_1 \| succeeded: after snapshot taken \| \d+\.\d s \|", post.Summary);
        Assert.Contains(main.Commands, c => c.Name == "group" && c.Data == "LxcSnap: before snapshot of web");
        Assert.Empty(step.Stages.SelectMany(s => s.Errors));
    }

    [Fact]
    public void Provenance_of_the_jobs_snapshots_names_the_action_and_the_run_which_the_summary_links()
    {
        _sandbox.CreateBusybox("web");
        Allow(Path.Combine(_sandbox.LxcPath, "web"));
        var step = Step();

        step.RunJob(() => "success");

        var post = step.Stage("post");
        Assert.True(post.ExitCode == 0, post.ToString());
        const string run = "https://github.com/octo/web/actions/runs/4242/attempts/1";
        Assert.Equal([$"Made by: githubAction begin, {ThisMachine.UserAtHost}, GitHub Actions run {run}", $"Made by: githubAction end, {ThisMachine.UserAtHost}, GitHub Actions run {run}"],
            PublishedCli.Run(_sandbox.Cli("-l", "web")).Stdout.Split('\n').Where(l => l.StartsWith("Made by: ", StringComparison.Ordinal)));
        Assert.Contains($"| web | web_0 → web_1 | succeeded: after snapshot taken |", post.Summary);
        Assert.Contains($"These snapshots record [this run]({run}) as who made them: `lxc-snap -l web` on the host shows it.", post.Summary);
    }

    [Fact]
    public void Keep_prunes_to_the_newest_after_a_successful_job_and_a_bad_value_stops_the_main_stage()
    {
        var web = _sandbox.CreateBusybox("web");
        Allow(Path.Combine(Path.GetTempPath(), "lxcsnap-tests", "*", "lxc", "web"));
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("web")).ExitCode);   // web_0, older than the job's pair

        var bad = Step(extra: ("keep", "none"));
        bad.RunJob(() => "success");
        var step = Step(extra: ("keep", "2"));
        step.RunJob(() =>
        {
            LxcSandbox.WriteFile(web, "/srv/app", "deployed");
            return "success";
        });

        Assert.NotEqual(0, bad.Stage("main").ExitCode);
        Assert.Contains(bad.Stage("main").Errors, e => e.Data.Contains("input 'keep' is 'none': give the number of snapshots of the container to keep after a successful job, 1 or more, or leave it empty.", StringComparison.Ordinal));
        var post = step.Stage("post");
        Assert.True(post.ExitCode == 0, post.ToString());
        Assert.Contains("LxcSnap: pruned web_0 of web, keeping the newest (input keep).", post.Process.Stdout);
        Assert.Equal(["web_1", "web_2"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    [Fact]
    public void A_failed_job_restores_the_container_to_its_before_snapshot()
    {
        var web = _sandbox.CreateBusybox("web");
        LxcSandbox.WriteFile(web, "/etc/motd", "as it was");
        Allow(Path.Combine(Path.GetTempPath(), "lxcsnap-tests", "*", "lxc", "web"));
        var step = Step(extra: ("keep-failed", "true"));

        step.RunJob(() =>
        {
            LxcSandbox.WriteFile(web, "/etc/motd", "half provisioned");
            LxcSandbox.WriteFile(web, "/srv/broken", "left by the failed job");
            return "failure";
        });

        var post = step.Stage("post");
        Assert.True(post.ExitCode == 0, post.ToString());
        Assert.Equal("as it was", LxcSandbox.ReadFile(web, "/etc/motd"));
        Assert.Null(LxcSandbox.ReadFile(web, "/srv/broken"));
        Assert.Equal("web_0", post.Outputs["restored-snapshot"]);
        Assert.Equal("restored", post.Outputs["outcome"]);
        Assert.Equal("web_1", post.Outputs["failed-state-snapshot"]);
        Assert.Equal("left by the failed job", LxcSandbox.ReadFile(_sandbox.Snapshot("web_1"), "/srv/broken"));
        Assert.Contains(post.Commands, c => c.Name == "notice" && c.Data.Contains("web was restored to web_0"));
        Assert.Matches(@"\| web \| restored to web_0 \| job failure: restored; failed state kept as web_1 \|", post.Summary);
        // The failed state's snapshot is the run's too, and the summary links it to the run as on success.
        const string run = "https://github.com/octo/web/actions/runs/4242/attempts/1";
        Assert.Equal([$"Made by: githubAction begin, {ThisMachine.UserAtHost}, GitHub Actions run {run}", $"Made by: githubAction end, {ThisMachine.UserAtHost}, GitHub Actions run {run}"],
            PublishedCli.Run(_sandbox.Cli("-l", "web")).Stdout.Split('\n').Where(l => l.StartsWith("Made by: ", StringComparison.Ordinal)));
        Assert.Contains($"These snapshots record [this run]({run}) as who made them: `lxc-snap -l web` on the host shows it.", post.Summary);
    }

    [Fact]
    public void A_cancelled_job_restores_the_container_too()
    {
        var web = _sandbox.CreateBusybox("web");
        Allow(Path.Combine(_sandbox.LxcPath, "w*"));
        var step = Step();

        step.RunJob(() =>
        {
            LxcSandbox.WriteFile(web, "/srv/partial", "cancelled half-way");
            return "cancelled";
        });

        var post = step.Stage("post");
        Assert.True(post.ExitCode == 0, post.ToString());
        Assert.Null(LxcSandbox.ReadFile(web, "/srv/partial"));
        Assert.Equal("web_0", post.Outputs["restored-snapshot"]);
        Assert.Contains("job cancelled: restored", post.Summary);
    }

    [Fact]
    public void A_second_job_on_a_container_with_an_open_transaction_is_refused_with_the_input_to_use()
    {
        _sandbox.CreateBusybox("web");
        Allow(Path.Combine(_sandbox.LxcPath, "web"));
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("begin", "web", "--label", "another-job")).ExitCode);
        var step = Step();

        step.RunJob(() => "success");

        var main = step.Stage("main");
        Assert.Equal(1, main.ExitCode);
        Assert.Equal("refused", main.Outputs["outcome"]);
        var error = Assert.Single(main.Errors);
        Assert.Equal("LxcSnap refused", error.Properties["title"]);
        Assert.Contains("already has an open provisioning transaction 'another-job'", error.Data);
        Assert.Contains("set the input replace-open: true to abandon it", error.Data);
        Assert.Contains($"lxc-snap -P {_sandbox.LxcPath} --snapshot-path {_sandbox.StorePath} end web --label another-job --failure", error.Data);
        Assert.DoesNotContain("--replace", error.Data);
    }

    [Fact]
    public void Left_failed_the_container_gets_a_recovery_command_that_runs_as_printed()
    {
        var web = _sandbox.CreateBusybox("web");
        Allow(Path.Combine(_sandbox.LxcPath, "web"));
        var store = Path.Combine(_sandbox.Root, "custom store");
        var step = Step(extra: [("restore-on-failure", "false"), ("snapshot-path", store)]);

        step.RunJob(() =>
        {
            LxcSandbox.WriteFile(web, "/srv/broken", "left by the failed job");
            return "failure";
        });

        var warning = Assert.Single(step.Stage("post").Commands, c => c.Name == "warning");
        var printed = System.Text.RegularExpressions.Regex.Match(warning.Data, "(lxc-snap .*? --failure) restores").Groups[1].Value;
        Assert.Contains("--snapshot-path", printed);
        var restore = Shell.Run("sh", "-c", printed.Replace("lxc-snap ", PublishedCli.Path + " ", StringComparison.Ordinal));
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Null(LxcSandbox.ReadFile(web, "/srv/broken"));
    }

    [Fact]
    public void A_main_stage_killed_after_the_host_began_the_transaction_is_ended_by_the_post_stage()
    {
        var web = _sandbox.CreateBusybox("web");
        Allow(Path.Combine(_sandbox.LxcPath, "web"));
        var step = Step();
        // What the host agent did before the action's container died: the transaction is open,
        // and of the main stage's state only the question reached the post stage.
        step.SaveState("container", "web");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("begin", "web", "--label", "github-4242-1-provision")).ExitCode);
        LxcSandbox.WriteFile(web, "/srv/partial", "cancelled half-way");

        var post = step.RunPost("cancelled");

        Assert.True(post.ExitCode == 0, post.ToString());
        Assert.Null(LxcSandbox.ReadFile(web, "/srv/partial"));
        Assert.Equal("restored", post.Outputs["outcome"]);
        Assert.Contains(post.Commands, c => c.Name == "warning" && c.Data.Contains("the main stage was interrupted after it began transaction 'github-4242-1-provision' of web"));
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("begin", "web", "--label", "next-job")).ExitCode);
    }

    [Fact]
    public void A_post_stage_whose_main_stage_asked_but_no_transaction_is_open_does_nothing_and_says_so()
    {
        _sandbox.CreateBusybox("web");
        Allow(Path.Combine(_sandbox.LxcPath, "web"));
        var step = Step();
        step.SaveState("container", "web");

        var post = step.RunPost("failure");

        Assert.True(post.ExitCode == 0, post.ToString());
        Assert.Contains("no transaction 'github-4242-1-provision' is open: nothing to snapshot or restore", post.Process.Stdout);
        Assert.False(Directory.Exists(_sandbox.StorePath));
    }

    [Fact]
    public void A_running_container_is_seen_running_restored_and_started_again()
    {
        var web = _sandbox.CreateBusybox("web");
        Allow(Path.Combine(_sandbox.LxcPath, "web"));
        LxcSandbox.Start(web);
        var step = Step();

        step.RunJob(() =>
        {
            LxcSandbox.Attach(web, "echo broken > /etc/provisioned");
            return "failure";
        });

        var post = step.Stage("post");
        Assert.True(post.ExitCode == 0, post.ToString());
        Assert.Equal("RUNNING", LxcSandbox.State(web));
        Assert.Equal("absent", LxcSandbox.Attach(web, "cat /etc/provisioned 2>/dev/null || echo absent").Trim());
    }

    [Fact]
    public void A_container_not_on_the_allowlist_is_refused_and_nothing_is_made()
    {
        _sandbox.CreateBusybox("web");
        _sandbox.CreateBusybox("db");
        Allow(Path.Combine(_sandbox.LxcPath, "web"));
        var before = _sandbox.Fingerprint();
        var step = Step(container: "db");

        step.RunJob(() => "success");

        var main = step.Stage("main");
        Assert.Equal(1, main.ExitCode);
        var error = Assert.Single(main.Errors);
        Assert.Equal("LxcSnap refused", error.Properties["title"]);
        Assert.Contains($"container 'db' in {_sandbox.LxcPath} is not on the host's allowlist {AllowlistFile}", error.Data);
        Assert.False(main.State.ContainsKey("before"));
        Assert.Equal("refused", main.State["answer"]);
        Assert.Equal("refused", main.Outputs["outcome"]);
        Assert.Contains("| db | - | refused:", main.Summary);
        Assert.Equal(0, step.Stage("post").ExitCode);
        Assert.Empty(before.Differences(_sandbox.Fingerprint()));
    }

    [Fact]
    public void Without_an_allowlist_file_on_the_host_every_container_is_refused()
    {
        _sandbox.CreateBusybox("web");
        var step = Step();

        step.RunJob(() => "success");

        var error = Assert.Single(step.Stage("main").Errors);
        Assert.Contains($"the host has no allowlist {AllowlistFile}", error.Data);
        Assert.False(Directory.Exists(_sandbox.StorePath));
    }

    [Fact]
    public void Without_a_view_of_the_host_the_action_refuses_and_makes_nothing()
    {
        _sandbox.CreateBusybox("web");
        Allow(Path.Combine(_sandbox.LxcPath, "web"));
        var before = _sandbox.Fingerprint();
        // Other network and mount namespaces than the host's, and no Docker socket: a container action's view.
        var step = Step(wrapper: ["unshare", "--net", "--mount", "--propagation", "private", "--"]);

        step.RunJob(() => "failure");

        var main = step.Stage("main");
        Assert.Equal(1, main.ExitCode);
        var error = Assert.Single(main.Errors);
        Assert.StartsWith("host state not visible: this process's mnt namespace", error.Data);
        Assert.Contains("no Docker socket at", error.Data);
        Assert.False(main.State.ContainsKey("before"));
        Assert.Equal("refused", main.State["answer"]);
        Assert.Contains("nothing to snapshot or restore", step.Stage("post").Process.Stdout);
        Assert.Empty(before.Differences(_sandbox.Fingerprint()));
    }

    [Fact]
    public void Each_stage_logs_the_actions_version_first_as_lxcsnap_action_version_prints_it()
    {
        // The version the build stamped into the assembly, read as a file's product version.
        var version = System.Diagnostics.FileVersionInfo.GetVersionInfo(Path.Combine(PublishedAction.BinDirectory, "lxcsnap-action.dll")).ProductVersion;
        Assert.Matches(@"^[0-9]+\.[0-9]+\.[0-9]+", version);
        var step = Step();   // refused, with no allowlist: each stage still starts with the version

        step.RunJob(() => "success");

        Assert.Equal(["main", "post"], step.Stages.Select(s => s.Stage));
        foreach (var stage in step.Stages)
            Assert.StartsWith($"LxcSnap action {version}, {stage.Stage} stage\n", stage.Process.Stdout);
        Assert.Equal(version + "\n", Shell.Check(Path.Combine(PublishedAction.BinDirectory, "lxcsnap-action"), "--version"));
    }

    [Fact]
    public void The_action_has_no_pre_stage_so_a_local_action_does_all_its_work_in_main_and_post()
    {
        var manifest = ActionManifest.Load();

        Assert.Equal("docker", manifest.Runs["using"]);
        Assert.False(manifest.Runs.ContainsKey("pre-entrypoint"));
        Assert.Equal("always()", manifest.Runs["post-if"]);
        Assert.Equal("${{ job.status }}", manifest.InputDefaults["job-status"]);
    }

    public void Dispose()
    {
        _sandbox.Dispose();
        if (Directory.Exists(_runnerDirectory))
            Directory.Delete(_runnerDirectory, recursive: true);
    }
}
