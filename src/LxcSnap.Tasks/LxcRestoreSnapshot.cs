using Microsoft.Build.Framework;

namespace LxcSnap.Tasks;

/// <summary>Restores a snapshot as a container (<c>lxc-snap -r NAME_N NEWNAME [--force]</c>).</summary>
public sealed class LxcRestoreSnapshot : LxcSnapTask
{
    /// <summary>The snapshot, NAME_N.</summary>
    [Required]
    public string Snapshot { get; set; } = "";

    /// <summary>The container to restore it as; NAME itself once NAME was destroyed, or with Force.</summary>
    [Required]
    public string NewName { get; set; } = "";

    /// <summary>Replace an existing NewName (the restored copy is complete before the old one goes).</summary>
    public bool Force { get; set; }

    /// <summary>The restored container's name.</summary>
    [Output]
    public string? RestoredContainer { get; private set; }

    protected override bool Run()
    {
        if (!ValidSnapshot(Snapshot, nameof(Snapshot)) || !ValidContainer(NewName, nameof(NewName)))
            return false;
        if (RunLxcSnap(Force ? ["-r", Snapshot, NewName, "--force"] : ["-r", Snapshot, NewName]) is not { } result)
            return false;
        RestoredContainer = Text(result, "container");
        Log.LogMessage(MessageImportance.High, "LxcSnap: restored {0} to {1}", Snapshot, RestoredContainer);
        return true;
    }
}
