using LxcSnap.Core.Containers;
using LxcSnap.Core.Store;

namespace LxcSnap.Tests.Unit;

/// <summary>
/// The staging area's liveness protocol, hammered from two sides at once: stages being begun,
/// filled and disposed, and recovery sweeping for abandoned ones. Recovery must never remove a
/// stage whose owner is alive, whatever the interleaving.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StagingProtocolTests : IDisposable
{
    private readonly string _lxcPath = Path.Combine(Path.GetTempPath(), "lxcsnap-tests", $"staging-{Guid.NewGuid():N}"[..16]);

    public StagingProtocolTests() => Directory.CreateDirectory(_lxcPath);

    [Fact]
    public async Task Recovery_running_beside_live_stages_never_removes_one()
    {
        var stop = DateTime.UtcNow + TimeSpan.FromSeconds(4);
        var removedWhileLive = 0;
        var stagesMade = 0;

        var owners = Enumerable.Range(0, 2).Select(worker => Task.Run(() =>
        {
            for (var round = 0; DateTime.UtcNow < stop; round++)
            {
                using var stage = Staging.Begin(new ContainerRef(_lxcPath, $"web{worker}_{round}"));
                var marker = Path.Combine(stage.Staged.LxcPath, "marker");
                File.WriteAllText(marker, "live");
                Thread.SpinWait(200);
                if (!File.Exists(marker))
                    Interlocked.Increment(ref removedWhileLive);
                Interlocked.Increment(ref stagesMade);
            }
        })).ToList();
        var sweeper = Task.Run(() =>
        {
            while (DateTime.UtcNow < stop)
                Staging.RecoverAbandoned(_lxcPath);
        });
        await Task.WhenAll([.. owners, sweeper]);

        Assert.True(stagesMade > 100, $"only {stagesMade} stages were made");
        Assert.Equal(0, removedWhileLive);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_lxcPath, ".lxcsnap", "staging")));
    }

    public void Dispose() => Directory.Delete(_lxcPath, recursive: true);
}
