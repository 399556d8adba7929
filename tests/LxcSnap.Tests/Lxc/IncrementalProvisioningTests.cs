using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>
/// --inputs-hash and --skip-if-unchanged of run and begin (what MSBuild's LxcSnapProvisioningInputs
/// use): provisioning whose inputs are unchanged since the label's last success does nothing, and
/// anything that leaves doubt about the container provisions again.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class IncrementalProvisioningTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    /// <summary>The file each run of the provisioning command appends a line to, outside the container.</summary>
    private string Runs => Path.Combine(_sandbox.Root, "runs");

    private ProcessResult Run(string inputsHash, params string[] options) =>
        PublishedCli.Run(_sandbox.Cli(["run", "web", "--label", "deploy", "--inputs-hash", inputsHash, "--skip-if-unchanged", .. options,
            "--", "sh", "-c", $"echo ran >> {Runs}"]));

    private int RunCount => File.Exists(Runs) ? File.ReadAllLines(Runs).Length : 0;

    [Fact]
    public void Run_with_unchanged_inputs_runs_nothing_and_takes_no_snapshot_and_changed_inputs_run_again()
    {
        _sandbox.CreateBusybox("web");

        var first = Run("sha256:one");
        var unchanged = Run("sha256:one");
        var countAfterUnchanged = RunCount;
        var changed = Run("sha256:two");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(unchanged.ExitCode == 0, unchanged.ToString());
        Assert.Equal(1, countAfterUnchanged);
        Assert.StartsWith("Provisioning 'deploy' of web is up to date: its inputs are unchanged since it succeeded on ", unchanged.Stdout);
        Assert.EndsWith("(after snapshot web_1). Nothing was done.\n", unchanged.Stdout);
        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.Equal(2, RunCount);
        Assert.Equal(["web_0", "web_1", "web_2", "web_3"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    [Fact]
    public void Begin_says_upToDate_in_its_JSON_and_gives_the_earlier_transaction_with_its_inputs()
    {
        _sandbox.CreateBusybox("web");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("begin", "web", "--inputs-hash", "sha256:abc")).ExitCode);
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("end", "web", "--success")).ExitCode);

        var again = PublishedCli.Run(_sandbox.Cli("--json", "begin", "web", "--inputs-hash", "sha256:abc", "--skip-if-unchanged"));
        var forced = PublishedCli.Run(_sandbox.Cli("--json", "begin", "web", "--inputs-hash", "sha256:abc"));

        var upToDate = JsonContract.Validated(again.Stdout, "begin --skip-if-unchanged --json");
        Assert.True(upToDate.GetProperty("upToDate").GetBoolean());
        var earlier = upToDate.GetProperty("transaction");
        Assert.Equal(("succeeded", "web_0", "web_1", "sha256:abc"),
            (earlier.GetProperty("outcome").GetString(), earlier.GetProperty("before").GetString(), earlier.GetProperty("after").GetString(), earlier.GetProperty("inputsHash").GetString()));
        // Without --skip-if-unchanged the same inputs begin a transaction, and record them.
        var begun = JsonContract.Validated(forced.Stdout, "begin --inputs-hash --json");
        Assert.False(begun.GetProperty("upToDate").GetBoolean());
        Assert.Equal(("open", "web_2", "sha256:abc"),
            (begun.GetProperty("transaction").GetProperty("outcome").GetString(), begun.GetProperty("transaction").GetProperty("before").GetString(),
                begun.GetProperty("transaction").GetProperty("inputsHash").GetString()));
    }

    [Fact]
    public void A_failed_newest_run_provisions_again_though_an_earlier_success_had_the_same_inputs()
    {
        _sandbox.CreateBusybox("web");
        Assert.Equal(0, Run("sha256:same").ExitCode);
        var failed = PublishedCli.Run(_sandbox.Cli("run", "web", "--label", "deploy", "--inputs-hash", "sha256:same", "--", "false"));

        var retried = Run("sha256:same");

        Assert.Equal(1, failed.ExitCode);
        Assert.True(retried.ExitCode == 0, retried.ToString());
        Assert.Equal(2, RunCount);
        Assert.Contains("succeeded", retried.Stdout);
    }

    [Fact]
    public void Provisioning_runs_again_when_the_after_snapshot_it_matched_was_destroyed()
    {
        _sandbox.CreateBusybox("web");
        Assert.Equal(0, Run("sha256:same").ExitCode);
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("-d", "web_1")).ExitCode);

        var again = Run("sha256:same");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(2, RunCount);
        Assert.Equal(["web_0", "web_2", "web_3"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    [Fact]
    public void A_restore_onto_the_container_since_its_success_provisions_again()
    {
        _sandbox.CreateBusybox("web");
        Assert.Equal(0, Run("sha256:same").ExitCode);
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("-r", "web_0", "web", "--force")).ExitCode); // back to before provisioning

        var again = Run("sha256:same");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(2, RunCount);
        Assert.Contains("succeeded", again.Stdout);
    }

    [Fact]
    public void A_provisioning_with_another_label_since_provisions_again()
    {
        _sandbox.CreateBusybox("web");
        Assert.Equal(0, Run("sha256:same").ExitCode);
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("run", "web", "--label", "other", "--", "true")).ExitCode);

        var again = Run("sha256:same");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(2, RunCount);
    }

    [Fact]
    public void An_open_transaction_is_never_skipped_past_it_is_refused_as_without_inputs()
    {
        _sandbox.CreateBusybox("web");
        Assert.Equal(0, Run("sha256:same").ExitCode);
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("begin", "web", "--label", "other")).ExitCode);

        var blocked = Run("sha256:same");

        Assert.Equal(1, blocked.ExitCode);
        Assert.Contains("already has an open provisioning transaction 'other'", blocked.Stderr);
        Assert.Equal(1, RunCount);
    }

    [Theory]
    [InlineData("run", "--skip-if-unchanged of run needs --inputs-hash HASH")]
    [InlineData("begin", "--skip-if-unchanged of begin needs --inputs-hash HASH")]
    public void Skip_if_unchanged_without_an_inputs_hash_is_a_usage_error_that_takes_no_snapshot(string command, string message)
    {
        _sandbox.CreateBusybox("web");

        var result = PublishedCli.Run(_sandbox.Cli(command == "run" ? ["run", "web", "--skip-if-unchanged", "--", "true"] : ["begin", "web", "--skip-if-unchanged"]));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.False(Directory.Exists(_sandbox.StorePath));
    }

    [Fact]
    public void An_inputs_hash_with_spaces_is_refused_before_any_snapshot()
    {
        _sandbox.CreateBusybox("web");

        var result = PublishedCli.Run(_sandbox.Cli("begin", "web", "--inputs-hash", "two words"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("invalid inputs fingerprint 'two words': it is one word of at most 200 printable characters", result.Stderr);
        Assert.False(Directory.Exists(_sandbox.StorePath));
    }

    public void Dispose() => _sandbox.Dispose();
}
