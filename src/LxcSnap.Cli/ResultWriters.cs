using LxcSnap.Core.Snapshots;
using LxcSnap.Core.Store;

namespace LxcSnap.Cli;

/// <summary>Prints what a command did: as the original lxc-snap did, or as JSON.</summary>
internal interface IResultWriter
{
    void Snapshot(SnapshotResult result);
    void Containers(SnapshotStore store, IReadOnlyList<string> containers);
    void Snapshots(SnapshotStore store, string container, IReadOnlyList<SnapshotInfo> snapshots);
    void Restore(RestoreResult result);
    void Destroyed(SnapshotStore store, string snapshot);
}

/// <summary>
/// The original tool's text: <c>-l</c> prints one name a line; <c>-l NAME</c> prints
/// <c>NAME N&lt;TAB&gt;TIME</c> and, when there is a comment, <c>Commit comment:</c> followed
/// by its lines indented by one space.
/// </summary>
internal sealed class TextResultWriter(TextWriter stdout) : IResultWriter
{
    public void Snapshot(SnapshotResult result) =>
        stdout.WriteLine($"Created snapshot {result.Snapshot.Name} in {result.Snapshot.Location.LxcPath} ({result.Method}).");

    public void Containers(SnapshotStore store, IReadOnlyList<string> containers)
    {
        foreach (var container in containers)
            stdout.WriteLine(container);
    }

    public void Snapshots(SnapshotStore store, string container, IReadOnlyList<SnapshotInfo> snapshots)
    {
        foreach (var snapshot in snapshots)
        {
            stdout.Write($"{container} {snapshot.Name.Version}");
            if (snapshot.Timestamp is not null)
                stdout.Write($"\t{snapshot.Timestamp}");
            stdout.WriteLine();
            if (snapshot.Comment is null)
                continue;
            stdout.WriteLine("Commit comment:");
            foreach (var line in snapshot.Comment.TrimEnd('\n').Split('\n'))
                stdout.WriteLine($" {line}");
        }
    }

    public void Restore(RestoreResult result) =>
        stdout.WriteLine(result.Replaced
            ? $"Restored container {result.From.Container} from {result.From} to {result.Container.Name}, replacing the previous {result.Container.Name} ({result.Method})."
            : $"Restored container {result.From.Container} from {result.From} to {result.Container.Name} ({result.Method}).");

    public void Destroyed(SnapshotStore store, string snapshot) =>
        stdout.WriteLine($"Destroyed snapshot {snapshot} in {store.Path}.");
}
