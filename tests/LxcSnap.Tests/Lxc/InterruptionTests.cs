using System.Diagnostics;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>
/// lxc-snap killed with SIGKILL in the middle of a copy (no chance to clean up) leaves every
/// existing container and snapshot as it was, is never listed as a snapshot, and the next run
/// removes what it left.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class InterruptionTests : IDisposable
{
    private const int BlobMegabytes = 384;
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    [Fact]
    public void A_snapshot_killed_mid_copy_is_never_listed_and_the_next_run_cleans_it_up()
    {
        var big = CreateBigContainer("big");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("big")).ExitCode);
        var before = ContainersAndSnapshots();

        KillDuringCopy(_sandbox.StorePath, "big");

        Assert.Equal([0], _sandbox.Engine().Store.Snapshots("big").Select(s => s.Name.Version));
        Assert.Equal(["big_0"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        Assert.Empty(before.Differences(ContainersAndSnapshots()));

        var next = PublishedCli.Run(_sandbox.Cli("big"));

        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Contains("removed the unfinished copy of 'big_1'", next.Stderr);
        Assert.Equal(["big_0", "big_2"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Staging(_sandbox.StorePath)));
        Assert.Equal(new FileInfo(BlobPath(big)).Length, new FileInfo(BlobPath(_sandbox.Snapshot("big_2"))).Length);
    }

    [Fact]
    public void A_forced_restore_killed_mid_copy_leaves_the_container_it_was_replacing_intact()
    {
        var big = CreateBigContainer("big");
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("big")).ExitCode);
        LxcSandbox.WriteFile(big, "/etc/motd", "the current state");
        var before = ContainersAndSnapshots();

        KillDuringCopy(_sandbox.LxcPath, "-r", "big_0", "big", "--force");

        Assert.Equal("the current state", LxcSandbox.ReadFile(big, "/etc/motd"));
        Assert.Empty(before.Differences(ContainersAndSnapshots()));
        Assert.Equal(["big"], LxcSandbox.ListedByLxc(_sandbox.LxcPath));

        var retry = PublishedCli.Run(_sandbox.Cli("-r", "big_0", "big", "--force"));

        Assert.True(retry.ExitCode == 0, retry.ToString());
        Assert.Contains("removed the unfinished copy of 'big'", retry.Stderr);
        Assert.Null(LxcSandbox.ReadFile(big, "/etc/motd"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Staging(_sandbox.LxcPath)));
    }

    [Fact]
    public async Task Ctrl_C_at_any_instant_either_stops_the_snapshot_cleanly_or_lets_it_finish_whole()
    {
        var big = CreateBigContainer("big");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("big")).ExitCode);
        var uninterrupted = clock.Elapsed;
        const int Rounds = 12;
        for (var round = 0; round < Rounds; round++)
        {
            // From the first instant (start-up) to just past the end, evenly.
            var delay = uninterrupted * (round * 1.1 / (Rounds - 1));
            var before = LxcSandbox.ListedByLxc(_sandbox.StorePath);
            using var process = Shell.Start(PublishedCli.Path, _sandbox.Cli("big"));
            var stderrRead = process.StandardError.ReadToEndAsync();
            await Task.Delay(delay);
            Shell.Run("kill", "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await process.WaitForExitAsync();
            var stderr = await stderrRead;
            var context = $"SIGINT {delay.TotalMilliseconds:0} ms in: exit {process.ExitCode}: {stderr}";
            var made = LxcSandbox.ListedByLxc(_sandbox.StorePath).Except(before).ToList();
            if (process.ExitCode == 0)
            {
                Assert.True(made.Count == 1, context);
                Assert.Equal(new FileInfo(BlobPath(big)).Length, new FileInfo(BlobPath(_sandbox.Snapshot(made[0]))).Length);
            }
            else
            {
                // 130 either way: interrupted by lxc-snap itself, or ended by the signal before
                // lxc-snap had done anything (the first milliseconds of start-up).
                Assert.True(process.ExitCode == 130, context);
                Assert.True(made.Count == 0, context);
                // Nothing when the signal ended lxc-snap before it installed its guard (parsing the
                // command line); else what happens next, at once, then what did.
                Assert.True(stderr.Length == 0 || stderr == "lxc-snap: interrupted: stopping: a copy not yet finished is removed, one already finished is kept.\n" +
                            "lxc-snap: interrupted: nothing was changed.\n", context);
                Assert.Empty(Directory.EnumerateFileSystemEntries(Staging(_sandbox.StorePath)));
            }
        }
    }

    /// <summary>A dir container with a large file, so that liblxc's rsync copy takes a while.</summary>
    private Core.Containers.ContainerRef CreateBigContainer(string name)
    {
        var container = _sandbox.CreateBusybox(name);
        var block = new byte[1 << 20];
        new Random(42).NextBytes(block);
        using var blob = File.Create(BlobPath(container));
        for (var i = 0; i < BlobMegabytes; i++)
            blob.Write(block);
        return container;
    }

    private static string BlobPath(Core.Containers.ContainerRef container) =>
        Path.Combine(LxcSandbox.Layers(container).Writable, "blob");

    /// <summary>
    /// Starts lxc-snap in its own process group, waits until liblxc is copying into the staging
    /// area of <paramref name="lxcPath"/>, then SIGKILLs the whole group (lxc-snap and rsync).
    /// </summary>
    private void KillDuringCopy(string lxcPath, params string[] arguments)
    {
        using var process = Shell.Start("setsid", [PublishedCli.Path, .. _sandbox.Cli(arguments)]);
        var staging = Staging(lxcPath);
        var deadline = Stopwatch.StartNew();
        while (!Directory.Exists(staging) || !Directory.EnumerateFiles(staging, "blob", SearchOption.AllDirectories).Any())
        {
            if (process.HasExited)
                Assert.Fail("lxc-snap finished before its copy could be interrupted: " + process.StandardError.ReadToEnd());
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the copy never started");
            Thread.Sleep(5);
        }
        Shell.Check("kill", "-KILL", "--", "-" + process.Id);
        process.WaitForExit();
        Assert.Equal(128 + 9, process.ExitCode);
    }

    private static string Staging(string lxcPath) => Path.Combine(lxcPath, ".lxcsnap", "staging");

    /// <summary>Everything but lxc-snap's own bookkeeping (locks, version marks, staging area).</summary>
    private DirectoryFingerprint ContainersAndSnapshots() =>
        DirectoryFingerprint.Of(_sandbox.Root, Path.Combine(_sandbox.LxcPath, ".lxcsnap"), Path.Combine(_sandbox.StorePath, ".lxcsnap"));

    public void Dispose() => _sandbox.Dispose();
}
