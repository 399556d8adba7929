using Microsoft.Build.Framework;

namespace LxcSnap.Tasks;

/// <summary>Snapshots a container into the store as NAME_N (<c>lxc-snap [-c FILE] NAME</c>).</summary>
public sealed class LxcSnapshot : LxcSnapTask
{
    [Required]
    public string Container { get; set; } = "";

    /// <summary>The snapshot's comment, as text.</summary>
    public string? Comment { get; set; }

    /// <summary>Snapshot a running container, frozen while it is copied.</summary>
    public bool AllowRunning { get; set; }

    /// <summary>The snapshot made, NAME_N, with the list metadata (Version, Timestamp, Comment, ...).</summary>
    [Output]
    public ITaskItem? Snapshot { get; private set; }

    protected override bool Run()
    {
        if (!ValidContainer(Container, nameof(Container)))
            return false;
        var commentFile = Comment is null ? null : Path.GetTempFileName();
        try
        {
            var arguments = new List<string>();
            if (commentFile is not null)
            {
                File.WriteAllText(commentFile, Comment);
                arguments.AddRange(["-c", commentFile]);
            }
            if (AllowRunning)
                arguments.Add("--allow-running");
            arguments.Add(Container);
            if (RunLxcSnap([.. arguments]) is not { } result)
                return false;
            Snapshot = SnapshotItem(result.GetProperty("snapshot"));
            Log.LogMessage(MessageImportance.High, "LxcSnap: snapshot {0} of {1} ({2})", Snapshot.ItemSpec, Container, Text(result.GetProperty("copy"), "description"));
            return true;
        }
        finally
        {
            if (commentFile is not null)
                File.Delete(commentFile);
        }
    }
}
