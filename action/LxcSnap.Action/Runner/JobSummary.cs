using System.Globalization;

namespace LxcSnap.Action.Runner;

/// <summary>The step's job-summary table: one row per container, what it was snapshotted or restored to, and how long it took.</summary>
internal static class JobSummary
{
    public static string Table(string container, string snapshot, string outcome, TimeSpan duration) =>
        "### LxcSnap\n\n" +
        "| Container | Snapshot | Outcome | Duration |\n" +
        "|---|---|---|---|\n" +
        $"| {Cell(container)} | {Cell(snapshot)} | {Cell(outcome)} | {duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s |\n\n";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
