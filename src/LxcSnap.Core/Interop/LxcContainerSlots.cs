using System.Runtime.InteropServices;

namespace LxcSnap.Core.Interop;

/// <summary>
/// The function-pointer members of <c>struct lxc_container</c> that we call, by slot.
/// Slot i sits at byte offset 80 + 8 * (i - 11) on x86_64 (checked with offsetof against the
/// LXC 5.0.2 header). Slots 0..62 have kept their places since LXC 1.1.3, which
/// <see cref="LxcLibrary"/> enforces before any of these is read.
/// </summary>
internal static unsafe class LxcContainerSlots
{
    public const int IsDefined = 11;
    public const int State = 12;
    public const int IsRunning = 13;
    public const int Freeze = 14;
    public const int Unfreeze = 15;
    public const int Stop = 20;
    public const int Wait = 24;
    public const int Destroy = 26;
    public const int Shutdown = 32;
    public const int GetConfigItem = 35;
    public const int Clone = 44;

    private const int FirstSlot = 11;
    private const int FirstSlotOffset = 80;

    /// <summary>Reads the function pointer stored in <paramref name="slot"/> of the container.</summary>
    public static IntPtr Read(IntPtr container, int slot)
    {
        var pointer = Marshal.ReadIntPtr(container, FirstSlotOffset + IntPtr.Size * (slot - FirstSlot));
        if (pointer == IntPtr.Zero)
            throw new InvalidOperationException($"liblxc left slot {slot} of struct lxc_container empty.");
        return pointer;
    }
}
