using System.Diagnostics;
using LxcSnap.Core.Snapshots;
using LxcSnap.Core.Store;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>
/// On btrfs, a container whose rootfs is a subvolume (lxc-create -B btrfs) is snapshotted and
/// restored as subvolume snapshots, in constant time, and nothing a kill leaves behind stays a
/// subvolume; a store on another file system gets a full copy and says so. Each test makes its
/// own btrfs in an image file, as the XFS tests do, and checks with btrfs-progs.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class BtrfsTests : IDisposable
{
    private readonly LoopFileSystem _btrfs = LoopFileSystem.Btrfs();
    private readonly LxcSandbox _sandbox;

    public BtrfsTests() => _sandbox = LxcSandbox.CreateUnder(_btrfs.MountPoint);

    [Fact]
    public void A_btrfs_container_is_snapshotted_restored_and_destroyed_as_subvolume_snapshots()
    {
        var web = _sandbox.CreateBusybox("web", "btrfs");
        LxcSandbox.WriteFile(web, "/srv/index.html", "v1");
        var engine = _sandbox.Engine();

        var taken = engine.Snapshot("web");
        LxcSandbox.WriteFile(web, "/srv/index.html", "v2");

        Assert.Equal("native btrfs snapshot", taken.Method.Description);
        var snapshot = _sandbox.Snapshot("web_0");
        Assert.Equal([Subvolume(web), Subvolume(snapshot)], Subvolumes());
        Assert.Equal("v1", LxcSandbox.ReadFile(snapshot, "/srv/index.html"));
        LxcSandbox.Start(snapshot);
        Assert.Equal("v1", LxcSandbox.Attach(snapshot, "cat /srv/index.html"));
        LxcSandbox.Stop(snapshot);

        var copy = engine.Restore("web_0", "web_copy");
        var replaced = engine.Restore("web_0", "web", force: true);

        Assert.Equal("native btrfs snapshot", copy.Method!.Description);
        Assert.Equal("v1", LxcSandbox.ReadFile(copy.Container, "/srv/index.html"));
        Assert.Contains("lxc.uts.name = web_copy", File.ReadAllText(copy.Container.ConfigFile));
        Assert.True(replaced.Replaced);
        Assert.Equal("v1", LxcSandbox.ReadFile(web, "/srv/index.html"));
        Assert.Equal([Subvolume(web), Subvolume(copy.Container), Subvolume(snapshot)], Subvolumes());

        engine.Destroy("web_0");

        Assert.Equal([Subvolume(web), Subvolume(copy.Container)], Subvolumes());
        Assert.Empty(LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    [Fact]
    public void A_btrfs_snapshot_of_a_big_rootfs_is_a_subvolume_snapshot_that_shares_every_extent()
    {
        var web = _sandbox.CreateBusybox("web", "btrfs");
        var engine = _sandbox.Engine();
        engine.Snapshot("web");
        // 100 MB in 1,000 files: a copy would take a thousand times the metadata work.
        Shell.Check("sh", "-euc", "mkdir -p \"$1/srv\"; for i in $(seq 1000); do head -c 102400 /dev/urandom > \"$1/srv/f$i\"; done", "sh",
            LxcSandbox.Layers(web).Writable);

        var taken = engine.Snapshot("web");

        // Not a timing (the machine's speed drifts): what the kernel did. A subvolume snapshot
        // shares every extent, so the store's snapshot took no data of its own. (A reflink copy
        // would share them too, but would be no subvolume.)
        Assert.Equal("native btrfs snapshot", taken.Method.Description);
        Assert.Contains(Subvolume(_sandbox.Snapshot("web_1")), Subvolumes());
        Assert.Contains("/srv/f1000", Shell.Check("find", LxcSandbox.Layers(_sandbox.Snapshot("web_1")).Writable, "-name", "f1000"));
        var exclusive = Shell.Check("btrfs", "filesystem", "du", "-s", "--raw", LxcSandbox.Layers(_sandbox.Snapshot("web_1")).Writable)
            .Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.Equal("0", exclusive);
    }

    [Fact]
    public void A_btrfs_container_snapshotted_into_a_store_on_another_file_system_is_copied_in_full_and_says_so()
    {
        var web = _sandbox.CreateBusybox("web", "btrfs");
        LxcSandbox.WriteFile(web, "/srv/index.html", "v1");
        using var elsewhere = LxcSandbox.Create();
        var notices = new List<string>();
        var engine = new SnapshotEngine(_sandbox.LxcPath, new SnapshotStore(elsewhere.StorePath), notices.Add);

        var taken = engine.Snapshot("web");

        Assert.Equal("full copy (liblxc rsync)", taken.Method.Description);
        Assert.Contains(notices, n => n.Contains("a native snapshot of", StringComparison.Ordinal) && n.Contains("full copy", StringComparison.Ordinal));
        var snapshot = new Core.Containers.ContainerRef(elsewhere.StorePath, "web_0");
        Assert.Equal("v1", LxcSandbox.ReadFile(snapshot, "/srv/index.html"));
        Assert.Equal([Subvolume(web)], Subvolumes());
    }

    [Fact]
    public void A_dir_container_on_btrfs_is_copied_with_reflinks()
    {
        var web = _sandbox.CreateBusybox("web");
        EveryKindOfEntry.WriteInto(LxcSandbox.Layers(web).Writable);

        var taken = _sandbox.Engine().Snapshot("web");

        Assert.Equal("full copy (reflink)", taken.Method.Description);
        Assert.Empty(TreeAttributes.Differences(LxcSandbox.Layers(web).Writable, LxcSandbox.Layers(_sandbox.Snapshot("web_0")).Writable));
        Assert.Empty(Subvolumes());
    }

    [Fact]
    public void A_subvolume_left_by_a_run_killed_before_its_config_named_it_is_removed_by_the_next_run()
    {
        _sandbox.CreateBusybox("web", "btrfs");
        using (var killed = Shell.Start("setsid", [PublishedCli.Path, .. _sandbox.Cli("web")],
                   new Dictionary<string, string> { ["LXCSNAP_CRASH_AT"] = "clone.copied" }))
        {
            killed.WaitForExit();
            Assert.Equal(128 + 9, killed.ExitCode);
        }
        // What a kill inside liblxc's clone leaves, between the subvolume snapshot and the config
        // that names it: cut the rootfs line from the staged config.
        var stagedConfig = Directory.EnumerateFiles(Path.Combine(_sandbox.StorePath, ".lxcsnap", "staging"), "config", SearchOption.AllDirectories).Single();
        File.WriteAllLines(stagedConfig, File.ReadAllLines(stagedConfig).Where(line => !line.StartsWith("lxc.rootfs.path", StringComparison.Ordinal)));
        Assert.Contains(Subvolumes(), s => s.Contains("/.lxcsnap/staging/", StringComparison.Ordinal));

        var again = PublishedCli.Run(_sandbox.Cli("web"));

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("removed the unfinished copy of 'web_0'", again.Stderr);
        Assert.Equal([Subvolume(_sandbox.Container("web")), Subvolume(_sandbox.Snapshot("web_1"))], Subvolumes());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_sandbox.StorePath, ".lxcsnap", "staging")));
    }

    [Fact]
    public void A_btrfs_snapshot_killed_at_any_instant_leaves_no_stray_subvolume()
    {
        var web = _sandbox.CreateBusybox("web", "btrfs");
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("web")).ExitCode);
        var duration = clock.Elapsed;
        const int rounds = 24;
        for (var round = 0; round < rounds; round++)
        {
            var delay = duration * ((round + 0.5) * 1.1 / rounds);
            using (var process = Shell.Start("setsid", [PublishedCli.Path, .. _sandbox.Cli("web")]))
            {
                if (!process.WaitForExit(delay))
                    Shell.Run("kill", "-KILL", "--", "-" + process.Id);
                process.WaitForExit();
            }
            var context = $"killed {delay.TotalMilliseconds:0} ms in (round {round + 1}, uninterrupted {duration.TotalMilliseconds:0} ms)";

            var next = PublishedCli.Run(_sandbox.Cli("web"));

            Assert.True(next.ExitCode == 0, $"{context}: {next}");
            var listed = LxcSandbox.ListedByLxc(_sandbox.StorePath);
            var expected = listed.Select(name => Subvolume(_sandbox.Snapshot(name))).Append(Subvolume(web)).Order(StringComparer.Ordinal);
            Assert.True(expected.SequenceEqual(Subvolumes()), $"{context}: subvolumes [{string.Join(' ', Subvolumes())}], listed [{string.Join(' ', listed)}]");
            Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_sandbox.StorePath, ".lxcsnap", "staging")));
        }
    }

    /// <summary>The subvolumes on the test's btrfs, as paths below its mount point, sorted.</summary>
    private List<string> Subvolumes() =>
        Shell.Check("btrfs", "subvolume", "list", "-o", _btrfs.MountPoint)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => "/" + line[(line.IndexOf(" path ", StringComparison.Ordinal) + " path ".Length)..].Trim())
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>A container's rootfs subvolume as <see cref="Subvolumes"/> names it.</summary>
    private string Subvolume(Core.Containers.ContainerRef container) =>
        LxcSandbox.Layers(container).Writable[_btrfs.MountPoint.Length..];

    public void Dispose()
    {
        try
        {
            _sandbox.Dispose();
        }
        finally
        {
            _btrfs.Dispose();
        }
    }
}
