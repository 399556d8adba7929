using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>lxc-snap's files get the modes LXC gives its own: rw-r----- for files, rwxr-x--- for its bookkeeping directories; LXC's own files keep theirs.</summary>
[Trait("Category", "Lxc")]
public sealed class FileModeTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    [Fact]
    public void Files_lxc_snap_writes_are_not_world_readable()
    {
        _sandbox.CreateBusybox("base");
        _sandbox.CloneOverlay("base", "ov");
        var comment = Path.Combine(_sandbox.Root, "comment");
        File.WriteAllText(comment, "note\n");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("-c", comment, "ov")).ExitCode);
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("run", "ov", "--", "true")).ExitCode);

        var store = _sandbox.StorePath;
        var journal = Directory.GetFiles(Path.Combine(store, ".lxcsnap", "provisioning", "ov"), "*.json").First();
        foreach (var file in new[] { "ov_0/config", "ov_0/ts", "ov_0/comment", "ov_0/provenance.json", ".lxcsnap/versions/ov", ".lxcsnap/store.lock", journal })
            Assert.True(Mode(Path.Combine(store, file)) == "640", $"{file}: {Mode(Path.Combine(store, file))}");
        foreach (var directory in new[] { ".lxcsnap", ".lxcsnap/staging", ".lxcsnap/versions", ".lxcsnap/provisioning" })
            Assert.True(Mode(Path.Combine(store, directory)) == "750", $"{directory}: {Mode(Path.Combine(store, directory))}");
        Assert.Equal("750", Mode(Path.Combine(_sandbox.LxcPath, ".lxcsnap")));
        // liblxc's own dependency record keeps the mode liblxc gave it.
        Assert.Equal("644", Mode(Path.Combine(_sandbox.LxcPath, "base", "lxc_snapshots")));
        Assert.Equal("755", Mode(store));
    }

    private static string Mode(string path) => Shell.Check("stat", "-c", "%a", path).Trim();

    public void Dispose() => _sandbox.Dispose();
}
