namespace LxcSnap.Core.Interop;

/// <summary>The <c>LXC_CLONE_*</c> flags of lxccontainer.h.</summary>
[Flags]
internal enum CloneFlags
{
    None = 0,
    KeepName = 1 << 0,
    KeepMacAddress = 1 << 1,
    Snapshot = 1 << 2,
    KeepBackingStoreType = 1 << 3,
    MaybeSnapshot = 1 << 4,
    AllowRunning = 1 << 6,
}
