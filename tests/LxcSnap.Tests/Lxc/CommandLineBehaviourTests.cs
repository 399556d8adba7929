using System.Text.Json;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>Help, version, JSON output and a machine without liblxc, through the published executable.</summary>
[Trait("Category", "Lxc")]
public sealed class CommandLineBehaviourTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    public void Help_shows_the_original_forms_and_exits_zero(string flag)
    {
        var help = PublishedCli.Run(flag);

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("lxc-snap [-c COMMENTFILE] NAME", help.Stdout);
        Assert.Contains("lxc-snap -r NAME_N NEWNAME", help.Stdout);
        Assert.Contains("--allow-running", help.Stdout);
    }

    [Fact]
    public void Version_names_lxc_snap_and_liblxc()
    {
        var version = PublishedCli.Run("--version");

        Assert.Equal(0, version.ExitCode);
        var lxcVersion = Shell.Check("lxc-create", "--version").Trim();
        // A version from the git tags (MinVer): 1.2.3, or 1.2.4-alpha.0.5 five commits after v1.2.3.
        Assert.Matches($@"^lxc-snap \d+\.\d+\.\d+(-[0-9A-Za-z.]+)? \(liblxc {System.Text.RegularExpressions.Regex.Escape(lxcVersion)}\)\n$", version.Stdout);
    }

    [Fact]
    public void Json_output_describes_snapshots_for_scripts()
    {
        _sandbox.CreateBusybox("web");
        var comment = Path.Combine(_sandbox.Root, "comment");
        File.WriteAllText(comment, "first");
        var created = JsonDocument.Parse(PublishedCli.Run(_sandbox.Cli("--json", "-c", comment, "web")).Stdout).RootElement;
        PublishedCli.Run(_sandbox.Cli("web"));

        var containers = JsonDocument.Parse(PublishedCli.Run(_sandbox.Cli("--json", "-l")).Stdout).RootElement;
        var versions = JsonDocument.Parse(PublishedCli.Run(_sandbox.Cli("--json", "-l", "web")).Stdout).RootElement;

        Assert.Equal("web_0", created.GetProperty("snapshot").GetProperty("name").GetString());
        Assert.Equal("fullCopy", created.GetProperty("copy").GetProperty("method").GetString());
        Assert.Equal(["copyFileRange"], created.GetProperty("copy").GetProperty("dataCopiedBy").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("full copy (copy_file_range)", created.GetProperty("copy").GetProperty("description").GetString());
        Assert.Equal(_sandbox.StorePath, containers.GetProperty("store").GetString());
        Assert.Equal(["web"], containers.GetProperty("containers").EnumerateArray().Select(e => e.GetString()));
        var snapshots = versions.GetProperty("snapshots").EnumerateArray().ToList();
        Assert.Equal([0, 1], snapshots.Select(s => s.GetProperty("version").GetInt32()));
        Assert.Equal("first", snapshots[0].GetProperty("comment").GetString());
        Assert.Equal(JsonValueKind.Null, snapshots[1].GetProperty("comment").ValueKind);
        Assert.Equal("dir", snapshots[0].GetProperty("backingStore").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", snapshots[0].GetProperty("time").GetString());
        Assert.Equal(Path.Combine(_sandbox.StorePath, "web_1"), snapshots[1].GetProperty("path").GetString());
    }

    [Fact]
    public void Logfile_receives_liblxcs_log_at_the_priority_given_and_quiet_keeps_stderr_to_errors()
    {
        _sandbox.CreateBusybox("web");
        var log = Path.Combine(_sandbox.Root, "lxc.log");

        var snapshot = PublishedCli.Run(_sandbox.Cli("-o", log, "--logpriority", "TRACE", "web"));
        var quiet = PublishedCli.Run(_sandbox.Cli("-q", "--snapshot-path", Path.Combine(_sandbox.Root, "no-store"), "-l"));
        var failed = PublishedCli.Run(_sandbox.Cli("-q", "-d", "web_9"));

        Assert.Equal(0, snapshot.ExitCode);
        Assert.Contains(" TRACE ", File.ReadAllText(log));
        Assert.Equal((0, "", ""), (quiet.ExitCode, quiet.Stdout, quiet.Stderr)); // without -q: "the snapshot store ... does not exist"
        Assert.Equal(1, failed.ExitCode);
        Assert.StartsWith("lxc-snap: no snapshot 'web_9'", failed.Stderr);
    }

    [Fact]
    public void A_long_copy_shows_its_progress_on_a_terminal_and_nothing_on_a_pipe()
    {
        var web = _sandbox.CreateBusybox("web");
        // 300 MB in 600 files: a copy that lasts past the half second before progress is shown.
        var filler = Path.Combine(LxcSandbox.Layers(web).Writable, "filler");
        Directory.CreateDirectory(filler);
        var block = new byte[512 * 1024];
        new Random(7).NextBytes(block);
        for (var i = 0; i < 600; i++)
            File.WriteAllBytes(Path.Combine(filler, $"f{i}"), block);
        var typescript = Path.Combine(_sandbox.Root, "terminal");

        // script(1) runs lxc-snap on a pseudo-terminal and keeps every byte it wrote there.
        var onTerminal = Shell.Run("script", "-q", "-e", "-c", Core.CommandText.Of(PublishedCli.Path, "-P", _sandbox.LxcPath, "web"), typescript);
        var onPipe = PublishedCli.Run(_sandbox.Cli("web"));

        Assert.True(onTerminal.ExitCode == 0, onTerminal.ToString());
        var screen = File.ReadAllText(typescript);
        Assert.Matches(@"lxc-snap: copying web: [0-9.]+ [kMG]?B of 31[0-9.]+ MB, [0-9,]+ of [0-9,]+ files, [0-9.]+ [kMG]?B/s", screen);
        Assert.Contains("Created snapshot web_0", screen);
        Assert.True(onPipe.ExitCode == 0, onPipe.ToString());
        Assert.Equal("", onPipe.Stderr);
    }

    [Fact]
    public void Without_liblxc_it_says_which_package_to_install()
    {
        _sandbox.CreateBusybox("web");
        var library = Shell.Check("readlink", "-f", "/usr/lib/x86_64-linux-gnu/liblxc.so.1").Trim();
        // In a private mount namespace, hide liblxc behind an empty file: dlopen then fails as on a
        // machine without the lxc package, while the host keeps its library.
        var script = $"mount --bind /dev/null '{library}' && exec '{PublishedCli.Path}' -P '{_sandbox.LxcPath}' web";

        var result = Shell.Run("unshare", "--mount", "--propagation", "private", "sh", "-c", script);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("lxc-snap: liblxc.so.1 not found: install the lxc package (apt-get install lxc).\n", result.Stderr);
        Assert.False(Directory.Exists(_sandbox.StorePath));
    }

    public void Dispose() => _sandbox.Dispose();
}
