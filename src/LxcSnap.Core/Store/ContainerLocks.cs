using LxcSnap.Core.Containers;

namespace LxcSnap.Core.Store;

/// <summary>
/// lxc-snap's lock on a container, held for a whole snapshot, restore or destroy of it, so that
/// two processes never freeze, copy into or remove the same container at once. Several are
/// always taken in one order (by path), so two processes cannot deadlock. The lock files are
/// never unlinked.
/// </summary>
internal sealed class ContainerLocks : IDisposable
{
    /// <summary>How long to wait quietly: most waits are for a snapshot of a small container, over in well under a second.</summary>
    private static readonly TimeSpan QuietWait = TimeSpan.FromSeconds(1);

    private readonly List<FileLock> _held;

    private ContainerLocks(List<FileLock> held) => _held = held;

    public static ContainerLocks Acquire(Action<string>? notice, params ContainerRef[] containers)
    {
        var held = new List<FileLock>();
        try
        {
            foreach (var container in containers.DistinctBy(c => c.Directory).OrderBy(c => c.Directory, StringComparer.Ordinal))
            {
                var path = PathOf(container);
                var taken = FileLock.TryAcquire(path);
                if (taken is null)
                {
                    using var saySoon = new Timer(_ => notice?.Invoke($"waiting for another lxc-snap working on {container}..."),
                        null, QuietWait, Timeout.InfiniteTimeSpan);
                    taken = FileLock.Acquire(path);
                }
                held.Add(taken);
            }
            return new ContainerLocks(held);
        }
        catch
        {
            held.ForEach(l => l.Dispose());
            throw;
        }
    }

    /// <summary>The lock on <paramref name="container"/> if nobody holds it right now, else null.</summary>
    public static FileLock? TryAcquire(ContainerRef container) => FileLock.TryAcquire(PathOf(container));

    /// <summary>The lock file of <paramref name="container"/> (flock(2), as util-linux flock takes it).</summary>
    public static string PathOf(ContainerRef container)
    {
        var directory = LxcSnapDirectory.Locks(container.LxcPath);
        LxcSnapDirectory.Create(directory);
        return Path.Combine(directory, container.Name + ".lock");
    }

    public void Dispose()
    {
        for (var i = _held.Count - 1; i >= 0; i--)
            _held[i].Dispose();
    }
}
