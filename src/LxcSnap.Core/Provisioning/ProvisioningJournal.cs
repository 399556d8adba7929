using System.Text.Json;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Provisioning;

/// <summary>
/// The store's record of provisioning transactions: one JSON file per transaction under
/// <c>STORE/.lxcsnap/provisioning/NAME/</c>, each written atomically.
/// </summary>
internal sealed class ProvisioningJournal(SnapshotStore store)
{
    private string DirectoryOf(string container) => Path.Combine(store.PrivateDirectory, "provisioning", container);

    /// <summary>Held while a transaction of <paramref name="container"/> is begun or ended, so two processes never interleave.</summary>
    public FileLock Lock(string container)
    {
        Directory.CreateDirectory(DirectoryOf(container));
        return FileLock.Acquire(DirectoryOf(container) + ".lock");
    }

    /// <summary>All transactions of <paramref name="container"/>, oldest first.</summary>
    public IReadOnlyList<ProvisioningRecord> All(string container)
    {
        var directory = DirectoryOf(container);
        if (!Directory.Exists(directory))
            return [];
        return Directory.EnumerateFiles(directory, "*.json")
            .Select(file => JsonSerializer.Deserialize(File.ReadAllText(file), ProvisioningJsonContext.Default.ProvisioningRecord))
            .OfType<ProvisioningRecord>()
            .OrderBy(record => record.StartedAt)
            .ThenBy(record => record.Id, StringComparer.Ordinal)
            .ToList();
    }

    public IReadOnlyList<ProvisioningRecord> Open(string container) =>
        All(container).Where(record => record.Outcome == ProvisioningOutcome.Open).ToList();

    public void Save(ProvisioningRecord record)
    {
        Directory.CreateDirectory(DirectoryOf(record.Container));
        DurableFile.WriteAllText(
            Path.Combine(DirectoryOf(record.Container), record.Id + ".json"),
            JsonSerializer.Serialize(record, ProvisioningJsonContext.Default.ProvisioningRecord));
    }
}
