using System.Globalization;

namespace LxcSnap.Tests.FaultInjection;

/// <summary>
/// How much fault injection ran, for docs/reliability.md: with LXCSNAP_FAULT_REPORT=FILE set,
/// every kill, round, operation and input tried adds a line to FILE (tab-separated), which
/// scripts/fault-injection.sh sums up. Without it, nothing is written.
/// </summary>
public static class FaultReport
{
    /// <summary>Multiplies the rounds of the sweeping and concurrent tests: LXCSNAP_FAULT_SCALE=50 runs them 50 times as long.</summary>
    public static int Scale { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("LXCSNAP_FAULT_SCALE"), NumberStyles.None, CultureInfo.InvariantCulture, out var scale) && scale > 0 ? scale : 1;

    private static readonly string? File = Environment.GetEnvironmentVariable("LXCSNAP_FAULT_REPORT");
    private static readonly object Gate = new();

    public static void Record(string category, int kills = 0, int rounds = 0, int operations = 0, int inputs = 0)
    {
        if (string.IsNullOrEmpty(File))
            return;
        lock (Gate)
            System.IO.File.AppendAllText(File, string.Create(CultureInfo.InvariantCulture, $"{category}\t{kills}\t{rounds}\t{operations}\t{inputs}\n"));
    }
}
