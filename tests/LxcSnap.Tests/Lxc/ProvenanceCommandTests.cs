using System.Text.Json;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>Who made a snapshot, as lxc-snap's commands record it and <c>-l NAME</c> and <c>--json</c> show it.</summary>
[Trait("Category", "Lxc")]
public sealed class ProvenanceCommandTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    private static readonly Dictionary<string, string> GitHubActions = new()
    {
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_RUN_ID"] = "4242",
        ["GITHUB_RUN_ATTEMPT"] = "3",
        ["GITHUB_REPOSITORY"] = "octo/web",
        ["GITHUB_SHA"] = "0123456789abcdef0123456789abcdef01234567",
        ["GITHUB_SERVER_URL"] = "https://github.com",
        ["GITHUB_WORKFLOW"] = "deploy",
        ["GITHUB_JOB"] = "provision",
    };

    private string ProvenanceFile(string snapshot) => Path.Combine(_sandbox.Snapshot(snapshot).Directory, "provenance.json");

    [Fact]
    public void A_snapshot_records_the_command_the_user_and_the_host_beside_its_ts_with_its_mode()
    {
        _sandbox.CreateBusybox("web");

        var created = JsonDocument.Parse(PublishedCli.Run(_sandbox.Cli("--json", "web")).Stdout).RootElement;

        using var recorded = JsonDocument.Parse(File.ReadAllText(ProvenanceFile("web_0")));
        Assert.Equal($$"""{"tool":"lxc-snap","command":"snapshot","user":"{{Environment.UserName}}","host":"{{Environment.MachineName}}"}""",
            JsonSerializer.Serialize(recorded.RootElement));
        Assert.Equal(File.GetUnixFileMode(Path.Combine(_sandbox.Snapshot("web_0").Directory, "ts")), File.GetUnixFileMode(ProvenanceFile("web_0")));
        var provenance = created.GetProperty("snapshot").GetProperty("provenance");
        Assert.Equal(("lxc-snap", "snapshot", Environment.UserName, JsonValueKind.Null), (provenance.GetProperty("tool").GetString(),
            provenance.GetProperty("command").GetString(), provenance.GetProperty("user").GetString(), provenance.GetProperty("ci").ValueKind));
        Assert.Equal($"web 0\t{File.ReadAllText(Path.Combine(_sandbox.Snapshot("web_0").Directory, "ts"))}\n{ThisMachine.MadeBy("snapshot")}\n",
            PublishedCli.Run(_sandbox.Cli("-l", "web")).Stdout);
    }

    [Fact]
    public void Run_begin_and_end_record_their_own_command_and_GitHub_Actions_its_run()
    {
        var web = _sandbox.CreateBusybox("web");

        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("run", "web", "--", "true"), GitHubActions).ExitCode);
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("begin", "web")).ExitCode);
        LxcSandbox.WriteFile(web, "/srv/app", "deployed");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("end", "web", "--success")).ExitCode);

        var madeBy = PublishedCli.Run(_sandbox.Cli("-l", "web")).Stdout.Split('\n').Where(l => l.StartsWith("Made by: ", StringComparison.Ordinal));
        var run = $"{ThisMachine.MadeBy("run")}, GitHub Actions run https://github.com/octo/web/actions/runs/4242/attempts/3";
        Assert.Equal([run, run, ThisMachine.MadeBy("begin"), ThisMachine.MadeBy("end")], madeBy);
        var listed = JsonDocument.Parse(PublishedCli.Run(_sandbox.Cli("--json", "-l", "web")).Stdout).RootElement.GetProperty("snapshots");
        var ci = listed[0].GetProperty("provenance").GetProperty("ci");
        Assert.Equal(("4242", "3", "octo/web", "0123456789abcdef0123456789abcdef01234567", "deploy", "provision"),
            (ci.GetProperty("runId").GetString(), ci.GetProperty("runAttempt").GetString(), ci.GetProperty("repository").GetString(),
                ci.GetProperty("sha").GetString(), ci.GetProperty("workflow").GetString(), ci.GetProperty("job").GetString()));
        Assert.Equal(JsonValueKind.Null, listed[2].GetProperty("provenance").GetProperty("ci").ValueKind);
    }

    [Fact]
    public void Sudo_is_recorded_with_the_user_who_ran_it()
    {
        _sandbox.CreateBusybox("web");

        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("web"), new Dictionary<string, string> { ["SUDO_USER"] = "alice" }).ExitCode);

        Assert.Contains($"{ThisMachine.MadeBy("snapshot")} (sudo from alice)\n", PublishedCli.Run(_sandbox.Cli("-l", "web")).Stdout);
    }

    [Fact]
    public void A_damaged_provenance_is_named_on_stderr_and_the_snapshot_listed_without_it()
    {
        _sandbox.CreateBusybox("web");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("web")).ExitCode);
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("web")).ExitCode);
        File.WriteAllText(ProvenanceFile("web_0"), "{\"tool\":\"lxc-snap\x1b[2J\",\"command\":\"snapshot\"}");
        File.WriteAllText(ProvenanceFile("web_1"), "not json");

        var listing = PublishedCli.Run(_sandbox.Cli("-l", "web"));
        var json = PublishedCli.Run(_sandbox.Cli("--json", "-l", "web"));

        Assert.True(listing.ExitCode == 0, listing.ToString());
        Assert.DoesNotContain("Made by:", listing.Stdout);
        Assert.DoesNotContain("\x1b", listing.Stdout + listing.Stderr, StringComparison.Ordinal);
        Assert.Contains($"lxc-snap: {ProvenanceFile("web_0")} holds no provenance lxc-snap can read; the snapshot is shown without one.", listing.Stderr);
        Assert.Contains($"lxc-snap: {ProvenanceFile("web_1")} holds no provenance lxc-snap can read;", listing.Stderr);
        var snapshots = JsonContract.Validated(json.Stdout, "lxc-snap --json -l web").GetProperty("snapshots");
        Assert.All(snapshots.EnumerateArray(), s => Assert.Equal(JsonValueKind.Null, s.GetProperty("provenance").ValueKind));
    }

    [Fact]
    public void A_snapshot_without_one_shows_nothing_and_a_restored_container_carries_none()
    {
        _sandbox.CreateBusybox("web");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("web")).ExitCode);
        File.Delete(ProvenanceFile("web_0"));   // as a snapshot the original lxc-snap made

        var listing = PublishedCli.Run(_sandbox.Cli("-l", "web"));
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("web")).ExitCode);
        var restored = PublishedCli.Run(_sandbox.Cli("-r", "web_1", "copy"));

        Assert.Equal($"web 0\t{File.ReadAllText(Path.Combine(_sandbox.Snapshot("web_0").Directory, "ts"))}\n", listing.Stdout);
        Assert.Equal("", listing.Stderr);
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.False(File.Exists(Path.Combine(_sandbox.Container("copy").Directory, "provenance.json")));
    }

    public void Dispose() => _sandbox.Dispose();
}
