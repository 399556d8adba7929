using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace LxcSnap.Tasks;

/// <summary>
/// Lists a container's snapshots (<c>lxc-snap -l NAME</c>) as items with Container, Version,
/// Timestamp, Time, Comment, BackingStore and Path metadata; without Container, lists the
/// containers that have snapshots (<c>lxc-snap -l</c>).
/// </summary>
public sealed class LxcListSnapshots : LxcSnapTask
{
    public string? Container { get; set; }

    /// <summary>The snapshots, oldest version first.</summary>
    [Output]
    public ITaskItem[] Snapshots { get; private set; } = [];

    /// <summary>Without Container: the containers that have snapshots.</summary>
    [Output]
    public ITaskItem[] Containers { get; private set; } = [];

    protected override bool Run()
    {
        if (string.IsNullOrEmpty(Container))
        {
            if (RunLxcSnap("-l") is not { } all)
                return false;
            Containers = all.GetProperty("containers").EnumerateArray().Select(name => (ITaskItem)new TaskItem(name.GetString())).ToArray();
            return true;
        }
        if (!ValidContainer(Container, nameof(Container)))
            return false;
        if (RunLxcSnap("-l", Container) is not { } result)
            return false;
        Snapshots = result.GetProperty("snapshots").EnumerateArray().Select(SnapshotItem).ToArray();
        return true;
    }
}
