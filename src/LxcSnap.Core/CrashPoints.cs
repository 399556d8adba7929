using System.Globalization;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core;

/// <summary>
/// Named places between the steps of an operation where the fault-injection tests make lxc-snap
/// die with SIGKILL, so that every transition is proven to survive a kill, not only the ones a
/// timed kill happens to hit. Set <c>LXCSNAP_CRASH_AT=NAME</c> (or <c>NAME:N</c> for the Nth time
/// NAME is reached) and the process kills itself there; with <c>LXCSNAP_CRASH_SIGNAL=STOP</c> it
/// stops itself instead, so that a test can arrange what else happens before the kill. Unset,
/// each point costs one comparison. docs/reliability.md lists the points.
/// </summary>
internal static class CrashPoints
{
    private const int SigKill = 9;
    private const int SigStop = 19;

    private static readonly (string Name, int Count)? Armed = Parse(Environment.GetEnvironmentVariable("LXCSNAP_CRASH_AT"));
    private static readonly int Signal = Environment.GetEnvironmentVariable("LXCSNAP_CRASH_SIGNAL") == "STOP" ? SigStop : SigKill;
    private static int _reached;

    public static void Reach(string name)
    {
        if (Armed is not { } armed || armed.Name != name)
            return;
        if (Interlocked.Increment(ref _reached) == armed.Count)
            LibcNative.kill(Environment.ProcessId, Signal);
    }

    private static (string, int)? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return null;
        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            ? (value[..colon], count)
            : (value, 1);
    }
}
