using System.Globalization;

namespace LxcSnap.Action.Runner;

/// <summary>The step's job-summary table: one row per container, what it was snapshotted or restored to, and how long it took.</summary>
internal static class JobSummary
{
    /// <param name="runUrl">The run the snapshots record as their provenance: said under the table, linked.</param>
    public static string Table(string container, string snapshot, string outcome, TimeSpan duration, string? runUrl = null) =>
        "### LxcSnap\n\n" +
        "| Container | Snapshot | Outcome | Duration |\n" +
        "|---|---|---|---|\n" +
        $"| {Cell(container)} | {Cell(snapshot)} | {Cell(outcome)} | {duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s |\n\n" +
        (runUrl is null ? "" : $"These snapshots record [this run]({Link(runUrl)}) as who made them: `lxc-snap -l {Code(container)}` on the host shows it.\n\n");

    /// <summary>A URL as a Markdown link target: no space or parenthesis can end it early.</summary>
    private static string Link(string url) =>
        url.Replace(" ", "%20", StringComparison.Ordinal).Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal);

    private static string Code(string text) => text.Replace("`", "", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
