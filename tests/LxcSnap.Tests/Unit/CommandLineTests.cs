using LxcSnap.Cli;

namespace LxcSnap.Tests.Unit;

/// <summary>The original tool's flags and their long forms turn into the right request.</summary>
[Trait("Category", "Unit")]
public sealed class CommandLineTests
{
    private static CliRequest Parse(params string[] args)
    {
        var syntax = new CommandLineSyntax();
        var (request, error) = syntax.Interpret(syntax.Parse(args));
        Assert.True(request is not null, error);
        return request;
    }

    private static string UsageError(params string[] args)
    {
        var syntax = new CommandLineSyntax();
        var (request, error) = syntax.Interpret(syntax.Parse(args));
        Assert.Null(request);
        return error!;
    }

    [Fact]
    public void A_bare_name_takes_a_snapshot_with_the_seed_flags() =>
        Assert.Equal(
            new CliRequest(CliMode.Snapshot) { Target = "mysql", CommentFile = "/tmp/c", LxcPath = "/srv/lxc" },
            Parse("-P", "/srv/lxc", "-c", "/tmp/c", "mysql"));

    [Theory]
    [InlineData("-l")]
    [InlineData("--list")]
    public void List_without_a_name_lists_containers(string flag) =>
        Assert.Equal(CliMode.ListContainers, Parse(flag).Mode);

    [Theory]
    [InlineData("-l", "mysql")]
    [InlineData("--list", "mysql")]
    [InlineData("-lmysql")]
    [InlineData("mysql", "-l")]
    public void List_with_a_name_lists_its_versions(params string[] args)
    {
        var request = Parse(args);
        Assert.Equal(CliMode.ListSnapshots, request.Mode);
        Assert.Equal("mysql", request.Target);
    }

    [Theory]
    [InlineData("-r", "mysql_2", "mysql_tmp")]
    [InlineData("--restore", "mysql_2", "mysql_tmp")]
    public void Restore_takes_the_snapshot_and_the_new_name(params string[] args)
    {
        var request = Parse(args);
        Assert.Equal(CliMode.Restore, request.Mode);
        Assert.Equal(("mysql_2", "mysql_tmp"), (request.Target, request.NewName));
    }

    [Fact]
    public void Options_combine_in_any_order() =>
        Assert.Equal(
            new CliRequest(CliMode.Restore) { Target = "web_1", NewName = "web", Force = true, Json = true, SnapshotPath = "/s" },
            Parse("--json", "-r", "web_1", "web", "--snapshot-path", "/s", "--force"));

    [Fact]
    public void Destroy_takes_one_snapshot() =>
        Assert.Equal(new CliRequest(CliMode.Destroy) { Target = "web_1" }, Parse("-d", "web_1"));

    [Fact]
    public void Run_takes_the_command_after_the_double_dash()
    {
        var request = Parse("run", "web", "--label", "deploy", "--keep-failed", "-P", "/srv/lxc", "--", "ansible-playbook", "-i", "hosts", "site.yml");

        Assert.Equal(CliMode.Run, request.Mode);
        Assert.Equal(("web", "deploy", true, "/srv/lxc"), (request.Target, request.Label, request.KeepFailed, request.LxcPath));
        Assert.Equal(["ansible-playbook", "-i", "hosts", "site.yml"], request.Command);
    }

    [Fact]
    public void Begin_and_end_take_a_label_and_an_outcome()
    {
        Assert.Equal(new CliRequest(CliMode.Begin) { Target = "web", Label = "ci", Replace = true }, Parse("begin", "web", "--label", "ci", "--replace"));
        Assert.Equal(new CliRequest(CliMode.End) { Target = "web", Succeeded = true }, Parse("end", "web", "--success"));
        Assert.Equal(new CliRequest(CliMode.End) { Target = "web", KeepFailed = true }, Parse("end", "web", "--failure", "--keep-failed"));
    }

    [Fact]
    public void Prune_takes_a_count_an_age_and_a_dry_run() =>
        Assert.Equal(
            new CliRequest(CliMode.Prune) { Target = "web", Keep = 3, OlderThan = "7d", DryRun = true, Json = true },
            Parse("prune", "web", "--keep", "3", "--older-than", "7d", "--dry-run", "--json"));

    [Fact]
    public void Diff_takes_a_snapshot_and_what_to_compare_it_with()
    {
        Assert.Equal(new CliRequest(CliMode.Diff) { Target = "web_1" }, Parse("diff", "web_1"));
        Assert.Equal(
            new CliRequest(CliMode.Diff) { Target = "web_1", CompareWith = "web_2", Stat = true, ExitCodeOnDifference = true, Json = true, LxcPath = "/srv/lxc" },
            Parse("diff", "--stat", "web_1", "web_2", "--exit-code", "--json", "-P", "/srv/lxc"));
        Assert.True(Parse("diff", "web_1").ChangesNothing);
    }

    [Theory]
    [InlineData("diff needs the snapshot to compare", "diff")]
    [InlineData("diff compares two things, got 3", "diff", "a_1", "a_2", "a")]
    [InlineData("unknown option '--stats': did you mean '--stat'?", "diff", "a_1", "--stats")]
    [InlineData("choose one of -l, -r and -d", "-l", "-r", "a_1", "b")]
    [InlineData("-c/--comment applies only when taking a snapshot", "-c", "f", "-l")]
    [InlineData("--allow-running applies only when taking a snapshot", "--allow-running", "-d", "a_1")]
    [InlineData("--force applies only to -r", "-f", "web")]
    [InlineData("-l takes at most one container name", "-l", "a", "b")]
    [InlineData("unknown option '--frobnicate'", "--frobnicate", "web")]
    [InlineData("unexpected argument after -d", "-d", "a_1", "b")]
    [InlineData("end needs exactly one of --success and --failure", "end", "web")]
    [InlineData("end needs exactly one of --success and --failure", "end", "web", "--success", "--failure")]
    [InlineData("--keep-failed applies only with --failure", "end", "web", "--success", "--keep-failed")]
    [InlineData("prune needs --keep N, --older-than DURATION, or both", "prune", "web")]
    [InlineData("choose one of --replace (abandon the open transaction) and --recover", "begin", "web", "--replace", "--recover")]
    public void Contradictory_or_incomplete_command_lines_are_usage_errors(string message, params string[] args) =>
        Assert.Contains(message, UsageError(args));

    [Fact]
    public void Help_is_recognised_by_every_name_System_CommandLine_gives_it()
    {
        var help = new System.CommandLine.Help.HelpOption();
        Assert.Equal(help.Aliases.Prepend(help.Name).Order(), CommandLineSyntax.HelpNames.Order());
        foreach (var name in CommandLineSyntax.HelpNames)
            Assert.IsType<System.CommandLine.Help.HelpAction>(new CommandLineSyntax().Parse([name]).Action);
    }

    [Theory]
    [InlineData("unknown option '--lxcpth': did you mean '--lxcpath'?", "--lxcpth", "/srv/lxc", "mysql")]
    [InlineData("unknown option '--snapshotpath': did you mean '--snapshot-path'?", "--snapshotpath", "/s", "-l")]
    [InlineData("unknown option '--lable': did you mean '--label'?", "begin", "web", "--lable", "ci")]
    [InlineData("unknown option '-x'.", "-x", "web")]
    [InlineData("--keep takes a number of snapshots (0 or more), not 'x'.", "prune", "web", "--keep", "x")]
    [InlineData("--keep takes a number of snapshots (0 or more), not '-1'.", "prune", "web", "--keep", "-1")]
    [InlineData("run needs the COMMAND to run, after '--': lxc-snap run NAME", "run", "web")]
    [InlineData("run needs the container's NAME: lxc-snap run NAME", "run", "--", "make")]
    [InlineData("end needs the container's NAME: lxc-snap end NAME", "end", "--success")]
    [InlineData("--logpriority takes one of TRACE, DEBUG, INFO, NOTICE, WARN, ERROR, CRIT, ALERT, FATAL, not 'loud'.", "-o", "/tmp/log", "--logpriority", "loud", "web")]
    [InlineData("--logpriority sets the level of -o/--logfile: give the log file too.", "--logpriority", "debug", "web")]
    [InlineData("name the container once: as NAME or as -n NAME.", "-n", "web", "db")]
    [InlineData("-n/--name names a container", "-n", "web", "-d", "web_1")]
    [InlineData("--dry-run applies to -d, -r and prune.", "--dry-run", "web")]
    [InlineData("--keep applies only with --success", "end", "web", "--failure", "--keep", "2")]
    [InlineData("--keep of run is 1 or more", "run", "web", "--keep", "0", "--", "true")]
    public void Mistakes_are_named_in_the_words_of_the_command_line(string message, params string[] args) =>
        Assert.Contains(message, UsageError(args));

    [Fact]
    public void Dry_runs_of_destroy_and_restore_are_requests_of_their_own() =>
        Assert.Equal(
            [new CliRequest(CliMode.Destroy) { Target = "web_1", DryRun = true }, new CliRequest(CliMode.Restore) { Target = "web_1", NewName = "web", Force = true, DryRun = true }],
            [Parse("-d", "web_1", "--dry-run"), Parse("-r", "web_1", "web", "--force", "--dry-run")]);

    [Fact]
    public void Run_and_end_take_the_number_of_snapshots_to_keep() =>
        Assert.Equal(
            [new CliRequest(CliMode.Run) { Target = "web", Command = ["true"], Keep = 3 }, new CliRequest(CliMode.End) { Target = "web", Succeeded = true, Keep = 3 }],
            [Parse("run", "web", "--keep", "3", "--", "true"), Parse("end", "web", "--success", "--keep", "3")]);

    [Fact]
    public void LXC_conventions_name_the_container_quieten_and_log()
    {
        Assert.Equal(new CliRequest(CliMode.Snapshot) { Target = "web" }, Parse("-n", "web"));
        Assert.Equal(new CliRequest(CliMode.ListSnapshots) { Target = "web", Quiet = true }, Parse("-l", "--name", "web", "-q"));
        Assert.Equal(new CliRequest(CliMode.Run) { Target = "web", Command = ["make", "-j2"], LogFile = "/tmp/log", LogPriority = "DEBUG" },
            Parse("run", "web", "-o", "/tmp/log", "--logpriority", "debug", "--", "make", "-j2"));
    }

    [Fact]
    public void A_subcommands_usage_names_its_own_arguments_once()
    {
        var help = new StringWriter();
        new CommandLineSyntax().Parse(["run", "--help"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = help });
        Assert.Contains("lxc-snap run <NAME> <COMMAND>... [options]", help.ToString());
        Assert.Single(help.ToString().Split('\n'), line => line.TrimStart().StartsWith("<NAME>", StringComparison.Ordinal));
    }
}
