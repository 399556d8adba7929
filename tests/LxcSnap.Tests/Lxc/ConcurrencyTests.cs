using System.Diagnostics;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>Several lxc-snap processes on one store at once: distinct numbers, every snapshot whole.</summary>
[Trait("Category", "Lxc")]
public sealed class ConcurrencyTests : IDisposable
{
    private const int Processes = 5;
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    [Fact]
    public void Processes_snapshotting_one_container_at_once_get_distinct_versions_and_valid_snapshots()
    {
        _sandbox.CreateBusybox("base");
        var app = _sandbox.CloneOverlay("base", "app");
        LxcSandbox.WriteFile(app, "/etc/app.conf", "shared");

        var processes = Enumerable.Range(0, Processes)
            .Select(_ => Shell.Start(PublishedCli.Path, _sandbox.Cli("app")))
            .ToList();
        var results = processes.Select(Finish).ToList();

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var expected = Enumerable.Range(0, Processes).Select(n => $"app_{n}").ToList();
        Assert.Equal(expected, LxcSandbox.ListedByLxc(_sandbox.StorePath));
        var listed = _sandbox.Engine().Store.Snapshots("app");
        Assert.Equal(Enumerable.Range(0, Processes), listed.Select(s => s.Name.Version));
        Assert.All(listed, snapshot =>
        {
            Assert.NotNull(snapshot.Time);
            Assert.Equal("shared", LxcSandbox.ReadFile(snapshot.Location, "/etc/app.conf"));
        });
    }

    [Fact]
    public void Processes_snapshotting_different_containers_into_one_store_do_not_collide()
    {
        var names = Enumerable.Range(0, 3).Select(n => $"web{n}").ToList();
        names.ForEach(name => _sandbox.CreateBusybox(name));

        var processes = names.SelectMany(name => new[] { name, name })
            .Select(name => Shell.Start(PublishedCli.Path, _sandbox.Cli(name)))
            .ToList();
        var results = processes.Select(Finish).ToList();

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Equal(names, _sandbox.Engine().Store.Containers());
        Assert.Equal(names.SelectMany(n => new[] { $"{n}_0", $"{n}_1" }), LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    private static ProcessResult Finish(Process process)
    {
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var result = new ProcessResult(process.ExitCode, stdout, stderr);
        process.Dispose();
        return result;
    }

    [Fact]
    public void A_listing_while_snapshots_are_destroyed_shows_each_snapshot_whole_or_not_at_all()
    {
        _sandbox.CreateBusybox("base");
        _sandbox.CloneOverlay("base", "app");
        var engine = _sandbox.Engine();
        engine.Snapshot("app", comment: Core.Store.SnapshotComment.FromText("kept"));
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var listings = 0;
        using var done = new CancellationTokenSource();

        // The race a long run found: `-l --json` read a snapshot's config after a concurrent -d
        // had moved it away, and failed. Snapshots come and go while another thread lists.
        var lister = new Thread(() =>
        {
            while (!done.IsCancellationRequested)
            {
                try
                {
                    // As the JSON listing reads (with the backing store) and as the text listing does.
                    var withBacking = listings % 2 == 0;
                    foreach (var snapshot in _sandbox.Engine().Store.Snapshots("app", withBacking))
                    {
                        if (snapshot.Backing != (withBacking ? Core.Containers.BackingStoreKind.Overlay : null) || snapshot.Time is null || snapshot.Comment?.Text != "kept" || snapshot.Problems.Count > 0)
                            failures.Enqueue($"{snapshot.Name}: backing {snapshot.Backing}, time {snapshot.Time}, comment {snapshot.Comment?.Text}, problems {string.Join("; ", snapshot.Problems)}");
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue(e.Message);
                }
                listings++;
            }
        });
        lister.Start();
        for (var round = 0; round < 40 && failures.IsEmpty; round++)
        {
            var taken = engine.Snapshot("app", comment: Core.Store.SnapshotComment.FromText("kept"));
            engine.Destroy(taken.Snapshot.Name.ToString());
        }
        done.Cancel();
        lister.Join();

        Assert.True(failures.IsEmpty, $"{failures.Count} bad listings of {listings}, first: {failures.FirstOrDefault()}");
        Assert.True(listings > 40, $"only {listings} listings ran");
    }

    public void Dispose() => _sandbox.Dispose();
}
