using System.Text.Json;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Provisioning;

/// <summary>
/// The store's record of provisioning transactions: one JSON file per transaction under
/// <c>STORE/.lxcsnap/provisioning/NAME/</c>, each written atomically. A record that cannot be
/// read (truncated, edited by hand) is reported once, naming the file, and skipped.
/// </summary>
internal sealed class ProvisioningJournal(SnapshotStore store, Action<string>? notice)
{
    /// <summary>A record is a few hundred bytes; anything far larger is not one.</summary>
    private const int MaxRecordBytes = 64 * 1024;

    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    private string DirectoryOf(string container) => Path.Combine(store.PrivateDirectory, "provisioning", container);

    /// <summary>Held while a transaction of <paramref name="container"/> is begun or ended, so two processes never interleave.</summary>
    public FileLock Lock(string container)
    {
        store.EnsureExists();
        LxcSnapDirectory.Create(DirectoryOf(container));
        return FileLock.Acquire(DirectoryOf(container) + ".lock");
    }

    /// <summary>All transactions of <paramref name="container"/>, oldest first.</summary>
    public IReadOnlyList<ProvisioningRecord> All(string container)
    {
        var directory = DirectoryOf(container);
        if (!PathAccess.Exists(directory))
            return [];
        return Directory.EnumerateFiles(directory, "*.json")
            .Select(Read)
            .OfType<ProvisioningRecord>()
            .OrderBy(record => record.StartedAt)
            .ThenBy(record => record.Id, StringComparer.Ordinal)
            .ToList();
    }

    public IReadOnlyList<ProvisioningRecord> Open(string container) =>
        All(container).Where(record => record.Outcome == ProvisioningOutcome.Open).ToList();

    public void Save(ProvisioningRecord record)
    {
        LxcSnapDirectory.Create(DirectoryOf(record.Container));
        DurableFile.WriteAllText(
            Path.Combine(DirectoryOf(record.Container), record.Id + ".json"),
            JsonSerializer.Serialize(record, ProvisioningJsonContext.Default.ProvisioningRecord));
    }

    private ProvisioningRecord? Read(string file)
    {
        string? problem;
        try
        {
            var (outcome, bytes) = BoundedFile.Read(file, MaxRecordBytes, followSymlinks: false);
            if (outcome == BoundedFile.Outcome.Missing)
                return null; // replaced or removed while we listed
            var record = outcome == BoundedFile.Outcome.Read
                ? JsonSerializer.Deserialize(bytes, ProvisioningJsonContext.Default.ProvisioningRecord)
                : null;
            problem = record is null ? "it is not a provisioning record"
                : record.Id is null || record.Container is null || record.Before is null ? "it lacks the id, container or before snapshot"
                : null;
            if (problem is null)
                return record;
        }
        catch (JsonException e)
        {
            problem = $"it is not valid JSON ({e.Message})";
        }
        if (_reported.Add(file))
            notice?.Invoke($"skipped {file}: {problem}. Move it away, or delete it if it is damaged.");
        return null;
    }
}
