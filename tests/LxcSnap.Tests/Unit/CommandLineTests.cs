using LxcSnap.Cli;

namespace LxcSnap.Tests.Unit;

/// <summary>The original tool's flags and their long forms turn into the right request.</summary>
public sealed class CommandLineTests
{
    private static CliRequest Parse(params string[] args)
    {
        var syntax = new CommandLineSyntax();
        var (request, error) = syntax.Interpret(syntax.Root.Parse(args));
        Assert.True(request is not null, error);
        return request;
    }

    private static string UsageError(params string[] args)
    {
        var syntax = new CommandLineSyntax();
        var (request, error) = syntax.Interpret(syntax.Root.Parse(args));
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

    [Theory]
    [InlineData("choose one of -l, -r and -d", "-l", "-r", "a_1", "b")]
    [InlineData("-c/--comment applies only when taking a snapshot", "-c", "f", "-l")]
    [InlineData("--allow-running applies only when taking a snapshot", "--allow-running", "-d", "a_1")]
    [InlineData("--force applies only to -r", "-f", "web")]
    [InlineData("-l takes at most one container name", "-l", "a", "b")]
    [InlineData("unknown option '--frobnicate'", "--frobnicate", "web")]
    [InlineData("unexpected argument after -d", "-d", "a_1", "b")]
    public void Contradictory_or_incomplete_command_lines_are_usage_errors(string message, params string[] args) =>
        Assert.Contains(message, UsageError(args));
}
