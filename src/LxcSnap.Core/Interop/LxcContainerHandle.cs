using System.Runtime.InteropServices;

namespace LxcSnap.Core.Interop;

/// <summary>Owns one reference to a <c>struct lxc_container</c>, released with <c>lxc_container_put</c>.</summary>
internal sealed class LxcContainerHandle : SafeHandle
{
    public LxcContainerHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public LxcContainerHandle(IntPtr existing) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(existing);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        // put returns 1 when this was the last reference and the object was freed, 0 when others
        // remain, -1 on error; only the error means the reference was not released.
        return LxcNative.lxc_container_put(handle) >= 0;
    }
}
