using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.FaultInjection;

/// <summary>
/// Hostile and mistaken input: store paths that would corrupt other containers' records or recurse
/// into themselves, a store whose content is corrupt, and a user without the rights. Each is
/// refused (or the corrupt entry skipped) with a message naming the path and what to do, a
/// non-zero exit where refused, nothing changed, and never a stack trace or a raw control byte.
/// </summary>
[Trait("Category", "FaultInjection")]
public sealed class BadInputTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    public BadInputTests()
    {
        _sandbox.CreateBusybox("base");
        _sandbox.CloneOverlay("base", "ov");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("ov")).ExitCode);
    }

    public static TheoryData<string, string, string> BadStores => new()
    {
        { "a newline", "{root}/st\nore", "invalid snapshot store '{root}/st\\nore': it contains a control character" },
        { "a colon", "{root}/st:ore", "invalid snapshot store '{root}/st:ore': it contains ':'" },
        { "inside the container", "{lxc}/ov/store", "the snapshot store {lxc}/ov/store lies inside 'ov' in {lxc}'s directory" },
        { "inside its lower layer", "{lxc}/base/rootfs/store", "lies inside 'ov' in {lxc}'s root filesystem's lower layer" },
        { "a file", "{root}/a-file", "the snapshot store {root}/a-file is a file, not a directory" },
        { "below a file", "{root}/a-file/store", "the snapshot store {root}/a-file/store cannot be made: {root}/a-file is a file, not a directory" },
        { "in /proc", "/proc/lxcsnap-store", "the snapshot store /proc/lxcsnap-store would be on /proc, a proc file system that holds no files" },
        { "empty", "", "--snapshot-path is empty" },
    };

    [Theory]
    [MemberData(nameof(BadStores))]
    public void A_store_path_that_cannot_hold_snapshots_is_refused_before_anything_is_written(string what, string store, string message)
    {
        File.WriteAllText(Path.Combine(_sandbox.Root, "a-file"), "");
        store = Expand(store);
        var before = _sandbox.Fingerprint();

        var result = PublishedCli.Run(_sandbox.Cli("--snapshot-path", store, "ov"));

        Assert.True(result.ExitCode == 2, $"{what}: {result}");
        Assert.Contains(Expand(message), result.Stderr);
        Assert.Empty(before.Differences(_sandbox.Fingerprint()));
        FaultReport.Record("bad input", inputs: 1);
    }

    [Fact]
    public void A_truncated_provisioning_record_is_reported_and_skipped_by_every_command()
    {
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("begin", "ov", "--label", "one")).ExitCode);
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("end", "ov", "--label", "one", "--success")).ExitCode);
        var record = Directory.GetFiles(Path.Combine(_sandbox.StorePath, ".lxcsnap", "provisioning", "ov"), "*.json").Single();
        File.WriteAllText(record, File.ReadAllText(record)[..40]);

        foreach (var command in new[] { new[] { "-l", "ov" }, ["run", "ov", "--", "true"], ["prune", "ov", "--keep", "5"] })
        {
            var result = PublishedCli.Run(_sandbox.Cli(command));
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)}: {result}");
            Assert.Contains($"skipped {record}: it is not valid JSON", result.Stderr);
            Assert.DoesNotContain("   at ", result.Stderr);
            FaultReport.Record("corrupt store", inputs: 1);
        }
    }

    [Fact]
    public void A_version_mark_at_the_largest_number_is_reported_and_ignored()
    {
        File.WriteAllText(Path.Combine(_sandbox.StorePath, ".lxcsnap", "versions", "ov"), int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var result = PublishedCli.Run(_sandbox.Cli("ov"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ignored the version mark", result.Stderr);
        Assert.Equal(["ov_0", "ov_1"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        FaultReport.Record("corrupt store", inputs: 1);
    }

    [Fact]
    public void A_garbage_timestamp_is_reported_and_never_printed()
    {
        File.WriteAllText(Path.Combine(_sandbox.Snapshot("ov_0").Directory, "ts"), "\u001b[2J\u001b[31mnot a time\r");

        var result = PublishedCli.Run(_sandbox.Cli("-l", "ov"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"ov 0\n{ThisMachine.MadeBy("snapshot")}\n", result.Stdout);
        Assert.Contains($"{_sandbox.Snapshot("ov_0").Directory}/ts holds no valid time", result.Stderr);
        Assert.DoesNotContain('\u001b', result.Stderr);
        FaultReport.Record("corrupt store", inputs: 1);
    }

    [Fact]
    public void Names_with_control_characters_are_never_echoed_raw()
    {
        Directory.CreateDirectory(Path.Combine(_sandbox.StorePath, "evil\u001b[31m_3"));

        var listing = PublishedCli.Run(_sandbox.Cli("-l"));
        var snapshot = PublishedCli.Run(_sandbox.Cli("we\u001b]0;owned\u0007b"));
        var restore = PublishedCli.Run(_sandbox.Cli("-r", "ov_0", "x\rok"));

        Assert.Equal("ov\n", listing.Stdout);
        Assert.Equal(2, snapshot.ExitCode);
        Assert.Contains("invalid container name 'we\\e]0;owned\\x07b'", snapshot.Stderr);
        Assert.Equal(2, restore.ExitCode);
        Assert.Contains("invalid new container name 'x\\rok'", restore.Stderr);
        foreach (var output in new[] { listing, snapshot, restore })
            Assert.DoesNotContain(output.Stdout + output.Stderr, c => char.IsControl(c) && c != '\n');
        FaultReport.Record("corrupt store", inputs: 3);
    }

    public static TheoryData<string[]> UnprivilegedCommands => new()
    {
        { ["ov"] },
        { ["-l"] },
        { ["-l", "ov"] },
        { ["-r", "ov_0", "copy"] },
        { ["-d", "ov_0"] },
        { ["prune", "ov", "--keep", "0"] },
        { ["begin", "ov"] },
        { ["run", "ov", "--", "true"] },
    };

    /// <summary>Run as nobody, every command names the first path it may not use (which one depends on the command) and the remedy.</summary>
    [Theory]
    [MemberData(nameof(UnprivilegedCommands))]
    public void A_user_without_the_rights_is_told_so_and_nothing_changes(string[] command)
    {
        var before = _sandbox.Fingerprint();

        var result = Shell.Run("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", UnprivilegedCli.Path, .. _sandbox.Cli(["--json", .. command])],
            environment: null, TimeSpan.FromMinutes(1));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches($"^lxc-snap: permission denied on {System.Text.RegularExpressions.Regex.Escape(_sandbox.Root)}/\\S+: lxc-snap needs root \\(or the owner's rights\\)\\.\n$", result.Stderr);
        Assert.Contains("\"kind\": \"permissionDenied\"", result.Stdout);
        Assert.Empty(before.Differences(_sandbox.Fingerprint()));
        FaultReport.Record("bad input", inputs: 1);
    }

    private string Expand(string text) =>
        text.Replace("{root}", _sandbox.Root, StringComparison.Ordinal)
            .Replace("{lxc}", _sandbox.LxcPath, StringComparison.Ordinal)
            .Replace("{store}", _sandbox.StorePath, StringComparison.Ordinal);

    public void Dispose() => _sandbox.Dispose();

    /// <summary>The published lxc-snap copied where any user may run it (the build output may lie under a private directory).</summary>
    private static class UnprivilegedCli
    {
        private static readonly Lazy<string> Copy = new(() =>
        {
            var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lxcsnap-tests", "unprivileged-cli");
            Directory.CreateDirectory(directory);
            var copy = System.IO.Path.Combine(directory, "lxc-snap");
            File.Copy(PublishedCli.Path, copy, overwrite: true);
            return copy;
        });

        public static string Path => Copy.Value;
    }
}
