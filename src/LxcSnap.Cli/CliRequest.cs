namespace LxcSnap.Cli;

/// <summary>What the user asked lxc-snap to do, once the command line is parsed and checked.</summary>
internal enum CliMode
{
    Snapshot,
    ListContainers,
    ListSnapshots,
    Restore,
    Destroy,
    Version,
}

internal sealed record CliRequest(CliMode Mode)
{
    /// <summary>The container (snapshot, list) or snapshot (restore, destroy) acted on.</summary>
    public string? Target { get; init; }

    /// <summary>Restore: the new container's name.</summary>
    public string? NewName { get; init; }

    public string? CommentFile { get; init; }
    public string? LxcPath { get; init; }
    public string? SnapshotPath { get; init; }
    public bool AllowRunning { get; init; }
    public bool Force { get; init; }
    public bool Json { get; init; }
}
