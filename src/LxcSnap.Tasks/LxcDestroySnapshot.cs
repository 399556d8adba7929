using Microsoft.Build.Framework;

namespace LxcSnap.Tasks;

/// <summary>Destroys a snapshot (<c>lxc-snap -d NAME_N</c>); refused while other containers depend on it.</summary>
public sealed class LxcDestroySnapshot : LxcSnapTask
{
    [Required]
    public string Snapshot { get; set; } = "";

    protected override bool Run()
    {
        if (!ValidSnapshot(Snapshot, nameof(Snapshot)))
            return false;
        if (RunLxcSnap("-d", Snapshot) is null)
            return false;
        Log.LogMessage(MessageImportance.High, "LxcSnap: destroyed snapshot {0}", Snapshot);
        return true;
    }
}
