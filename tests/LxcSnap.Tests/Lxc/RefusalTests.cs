using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>
/// Every refusal exits non-zero with a message that names the problem and the way out, and
/// leaves every file of the lxcpath and the store exactly as it was.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class RefusalTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    public RefusalTests()
    {
        _sandbox.CreateBusybox("base");
        var mysql = _sandbox.CloneOverlay("base", "mysql");
        LxcSandbox.WriteFile(mysql, "/etc/motd", "snapshotted");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("mysql")).ExitCode);
        _sandbox.CreateBusybox("other");
    }

    [Theory]
    [InlineData(2, "invalid container name '../etc'", "../etc")]
    [InlineData(2, "invalid container name '..'", "..")]
    [InlineData(2, "invalid container name 'a/b'", "a/b")]
    [InlineData(2, "invalid container name ''", "")]
    [InlineData(2, "longer than 64 bytes", "a-name-that-is-much-too-long-for-lxc-because-lxc-uses-it-as-the-hostname")]
    [InlineData(1, "no container 'missing' in", "missing")]
    [InlineData(2, "'mysql' is not a snapshot name", "-r", "mysql", "new")]
    [InlineData(2, "'mysql_01' is not a snapshot name", "-r", "mysql_01", "new")]
    [InlineData(1, "no snapshot 'mysql_9' in", "-r", "mysql_9", "new")]
    [InlineData(1, "no snapshot 'mysql_9' in", "-d", "mysql_9")]
    [InlineData(2, "invalid new container name 'bad/name'", "-r", "mysql_0", "bad/name")]
    [InlineData(1, "container 'other' already exists", "-r", "mysql_0", "other")]
    [InlineData(1, "cannot read comment file", "-c", "/nonexistent/comment", "mysql")]
    [InlineData(2, "choose one of -l, -r and -d", "-l", "-d", "mysql_0")]
    [InlineData(2, "-r needs a snapshot and a new name", "-r", "mysql_0")]
    [InlineData(2, "--force applies only to -r", "--force", "mysql")]
    [InlineData(2, "snapshot one container at a time", "mysql", "other")]
    [InlineData(2, "name the container to snapshot")]
    [InlineData(2, "unknown option '--bogus'", "--bogus", "mysql")]
    public void Bad_input_is_refused_with_a_clear_message_and_nothing_changes(int exitCode, string message, params string[] arguments)
    {
        var before = _sandbox.Fingerprint();

        var result = PublishedCli.Run(_sandbox.Cli(arguments));

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains(message, result.Stderr);
        Assert.StartsWith("lxc-snap: ", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Empty(before.Differences(_sandbox.Fingerprint()));
    }

    [Fact]
    public void A_directory_as_comment_file_is_refused()
    {
        var before = _sandbox.Fingerprint();

        var result = PublishedCli.Run(_sandbox.Cli("-c", _sandbox.Root, "mysql"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("it is a directory", result.Stderr);
        Assert.Empty(before.Differences(_sandbox.Fingerprint()));
    }

    [Fact]
    public void An_lxcpath_that_does_not_exist_is_refused()
    {
        var result = PublishedCli.Run("-P", Path.Combine(_sandbox.Root, "nowhere"), "mysql");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_sandbox.Root, "nowheresnaps")));
    }

    [Fact]
    public void Restoring_over_an_existing_container_without_force_keeps_it()
    {
        var other = _sandbox.Container("other");
        LxcSandbox.WriteFile(other, "/etc/motd", "keep me");
        var before = _sandbox.Fingerprint();

        var result = PublishedCli.Run(_sandbox.Cli("-r", "mysql_0", "other"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("pass --force to replace it", result.Stderr);
        Assert.Equal("keep me", LxcSandbox.ReadFile(other, "/etc/motd"));
        Assert.Empty(before.Differences(_sandbox.Fingerprint()));
    }

    [Fact]
    public void Replacing_a_running_container_is_refused_even_with_force()
    {
        var other = _sandbox.Container("other");
        LxcSandbox.Start(other);
        var before = _sandbox.Fingerprint(running: other);

        var result = PublishedCli.Run(_sandbox.Cli("-r", "mysql_0", "other", "--force"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("container 'other' is running", result.Stderr);
        Assert.Equal("RUNNING", LxcSandbox.State(other));
        Assert.Empty(before.Differences(_sandbox.Fingerprint(running: other)));
    }

    [Fact]
    public void Restoring_a_snapshot_that_runs_is_refused_in_one_line_of_our_own()
    {
        var snapshot = _sandbox.Snapshot("mysql_0");
        File.AppendAllText(snapshot.ConfigFile, "lxc.net.0.type = empty\nlxc.apparmor.profile = unconfined\n");
        LxcSandbox.Start(snapshot);

        var result = PublishedCli.Run(_sandbox.Cli("-r", "mysql_0", "copy"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"lxc-snap: snapshot 'mysql_0' is running (started with lxc-start -P {_sandbox.StorePath}): lxc-stop -P {_sandbox.StorePath} -n mysql_0 stops it.\n",
            result.Stderr);
        Assert.DoesNotContain("copy", LxcSandbox.ListedByLxc(_sandbox.LxcPath));
    }

    [Fact]
    public void Force_replaces_an_existing_container_with_the_snapshot()
    {
        var other = _sandbox.Container("other");
        LxcSandbox.WriteFile(other, "/etc/motd", "old content");

        var result = PublishedCli.Run(_sandbox.Cli("-r", "mysql_0", "other", "--force"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("replacing the previous other", result.Stdout);
        Assert.Equal("snapshotted", LxcSandbox.ReadFile(other, "/etc/motd"));
        Assert.Contains("lxc.uts.name = other", File.ReadAllText(other.ConfigFile));
        Assert.Equal(["base", "mysql", "other"], LxcSandbox.ListedByLxc(_sandbox.LxcPath));
        // Nothing of the replaced container is left anywhere.
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_sandbox.LxcPath, ".lxcsnap", "staging")));
    }

    [Fact]
    public void Dry_runs_say_what_minus_d_and_minus_r_would_do_and_change_nothing()
    {
        var other = _sandbox.Container("other");
        LxcSandbox.WriteFile(other, "/etc/motd", "old content");
        LxcSandbox.Start(other);
        var before = _sandbox.Fingerprint(running: other);

        var destroy = PublishedCli.Run(_sandbox.Cli("-d", "mysql_0", "--dry-run"));
        var restore = PublishedCli.Run(_sandbox.Cli("-r", "mysql_0", "fresh", "--dry-run"));
        var replaceRunning = PublishedCli.Run(_sandbox.Cli("-r", "mysql_0", "other", "--force", "--dry-run"));
        LxcSandbox.Stop(other);
        var stopped = _sandbox.Fingerprint();
        var replace = PublishedCli.Run(_sandbox.Cli("-r", "mysql_0", "other", "--force", "--dry-run"));

        Assert.Equal((0, $"Would destroy snapshot mysql_0 in {_sandbox.StorePath} (dry run: nothing was changed).\n"), (destroy.ExitCode, destroy.Stdout));
        Assert.Equal((0, $"Would restore mysql_0 to a new container fresh in {_sandbox.LxcPath} (dry run: nothing was changed).\n"), (restore.ExitCode, restore.Stdout));
        // Refused as the real restore refuses it.
        Assert.Equal(1, replaceRunning.ExitCode);
        Assert.Contains("container 'other' is running", replaceRunning.Stderr);
        Assert.Equal(0, replace.ExitCode);
        Assert.Contains("Would restore mysql_0 to other, replacing the existing other", replace.Stdout);
        Assert.Equal("old content", LxcSandbox.ReadFile(other, "/etc/motd"));
        Assert.Empty(before.Differences(_sandbox.Fingerprint(running: other)));
        Assert.Empty(stopped.Differences(_sandbox.Fingerprint()));
        Assert.Equal(["base", "mysql", "other"], LxcSandbox.ListedByLxc(_sandbox.LxcPath));
    }

    public void Dispose() => _sandbox.Dispose();
}
