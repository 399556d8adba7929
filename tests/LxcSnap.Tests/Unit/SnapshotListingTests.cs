using LxcSnap.Core.Store;

namespace LxcSnap.Tests.Unit;

/// <summary>
/// <see cref="SnapshotStore.Snapshots"/> on a store of hand-made snapshot directories (their
/// metadata files only: a listing reads nothing else), large enough to be read in parallel.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SnapshotListingTests : IDisposable
{
    private readonly string _store = Directory.CreateTempSubdirectory("lxcsnap-listing-").FullName;

    public void Dispose() => Directory.Delete(_store, recursive: true);

    [Fact]
    public void A_store_of_hundreds_lists_each_snapshot_once_in_version_order_with_its_own_metadata()
    {
        const int count = 600;
        for (var version = 0; version < count; version++)
        {
            // Every seventh is half removed (no config): it must not be listed.
            MakeSnapshot($"web_{version}", withConfig: version % 7 != 3, $"2026:11:{1 + version % 28:00} 10:00:00", $"comment {version}\n");
        }
        MakeSnapshot("other_1", withConfig: true, "2026:11:01 10:00:00", "not web's\n");

        var listed = new SnapshotStore(_store).Snapshots("web");

        var expected = Enumerable.Range(0, count).Where(v => v % 7 != 3).ToList();
        Assert.Equal(expected, listed.Select(s => s.Name.Version));
        Assert.All(listed, s =>
        {
            Assert.Equal($"comment {s.Name.Version}\n", s.Comment?.ToString());
            Assert.Equal($"2026:11:{1 + s.Name.Version % 28:00} 10:00:00", s.Timestamp);
        });
    }

    private void MakeSnapshot(string name, bool withConfig, string timestamp, string comment)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_store, name)).FullName;
        File.WriteAllText(Path.Combine(directory, SnapshotMetadata.TimestampFile), timestamp);
        File.WriteAllText(Path.Combine(directory, SnapshotMetadata.CommentFile), comment);
        if (withConfig)
            File.WriteAllText(Path.Combine(directory, "config"), $"lxc.uts.name = {name}\nlxc.rootfs.path = dir:{directory}/rootfs\n");
    }
}
