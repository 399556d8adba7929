using System.Globalization;
using LxcSnap.Core;
using LxcSnap.Core.Comparison;
using LxcSnap.Core.Provisioning;
using LxcSnap.Core.Retention;
using LxcSnap.Core.Snapshots;
using LxcSnap.Core.Store;

namespace LxcSnap.Cli;

/// <summary>Prints what a command did: as the original lxc-snap did, or as JSON.</summary>
internal interface IResultWriter
{
    void Snapshot(SnapshotResult result);
    void Containers(SnapshotStore store, IReadOnlyList<string> containers);
    void Snapshots(SnapshotStore store, string container, IReadOnlyList<SnapshotInfo> snapshots, IReadOnlyDictionary<string, SnapshotRole> roles);
    void Restore(RestoreResult result);
    void Destroyed(SnapshotStore store, string snapshot, bool dryRun);
    /// <param name="rolledBackFirst">begin --recover: the interrupted transaction rolled back before this one began.</param>
    /// <param name="upToDate">--skip-if-unchanged found nothing to do: <paramref name="record"/> is the earlier transaction with the same inputs.</param>
    void Provisioning(ProvisioningRecord record, ProvisioningRecord? rolledBackFirst = null, bool upToDate = false);
    void Pruned(string container, IReadOnlyList<PruneDecision> decisions, bool dryRun);
    /// <param name="totals">--stat: the totals too (JSON always has them).</param>
    void Diff(DiffResult result, bool totals);
}

/// <summary>
/// The original tool's text: <c>-l</c> prints one name a line; <c>-l NAME</c> prints
/// <c>NAME N&lt;TAB&gt;TIME</c> and, when there is a comment, <c>Commit comment:</c> followed
/// by its lines indented by one space. A snapshot a provisioning transaction took gets one more
/// line, <c>Provisioning 'LABEL': before, rolled back after 12.3 s</c>; one with a provenance,
/// one more, <c>Made by: lxc-snap snapshot, root@vm</c> (<see cref="MadeBy"/>).
/// </summary>
internal sealed class TextResultWriter(TextWriter stdout) : IResultWriter
{
    public void Snapshot(SnapshotResult result) =>
        stdout.WriteLine($"Created snapshot {result.Snapshot.Name} in {result.Snapshot.Location.LxcPath} ({result.Method.Description}).");

    public void Containers(SnapshotStore store, IReadOnlyList<string> containers)
    {
        foreach (var container in containers)
            stdout.WriteLine(container);
    }

    /// <remarks>
    /// Comments are bytes, not necessarily text: the listing is put together as bytes in memory
    /// and written to stdout in one go (1000 snapshots are one write, not one per comment).
    /// </remarks>
    public void Snapshots(SnapshotStore store, string container, IReadOnlyList<SnapshotInfo> snapshots, IReadOnlyDictionary<string, SnapshotRole> roles)
    {
        var listing = new MemoryStream(snapshots.Count * 64);
        using (var text = new StreamWriter(listing, new System.Text.UTF8Encoding(false), 4 * 1024, leaveOpen: true))
        {
            foreach (var snapshot in snapshots)
            {
                text.Write($"{container} {snapshot.Name.Version}");
                if (snapshot.Timestamp is not null)
                    text.Write($"\t{snapshot.Timestamp}");
                text.WriteLine();
                if (snapshot.Comment is not null)
                    WriteComment(text, snapshot.Comment);
                if (roles.TryGetValue(snapshot.Name.ToString(), out var role))
                    text.WriteLine($"Provisioning '{role.Transaction.Label}': {Describe(role)}");
                if (snapshot.Provenance is { } provenance)
                    text.WriteLine($"Made by: {MadeBy(provenance)}");
            }
        }
        RawOutput.Write(stdout, listing.GetBuffer().AsSpan(0, (int)listing.Length));
    }

    /// <summary>
    /// As the original tool: <c>Commit comment:</c>, then every line of the file (getline's lines,
    /// blank ones included) after one space, byte for byte. A last line without a newline gets one,
    /// so that the next snapshot starts a line of its own.
    /// </summary>
    private static void WriteComment(StreamWriter text, SnapshotComment comment)
    {
        text.WriteLine("Commit comment:");
        var rest = comment.Bytes;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..(end + 1)];
            text.Write(' ');
            RawOutput.Write(text, line);
            if (end < 0)
                text.WriteLine();
            rest = rest[line.Length..];
        }
    }

    /// <summary>
    /// A provenance in one line, every value escaped (provenance.json may hold anything):
    /// <c>msbuild begin (LxcGuardedProvisioning task, project /src/web.csproj, targets Provision),
    /// root@vm (sudo from alice), GitHub Actions run https://github.com/o/r/actions/runs/1/attempts/1</c>.
    /// </summary>
    internal static string MadeBy(Provenance provenance)
    {
        var line = new System.Text.StringBuilder($"{Printable.Escape(provenance.Tool)} {Printable.Escape(provenance.Command)}");
        if (provenance.Detail is { } detail)
            line.Append($" ({Printable.Escape(detail)})");
        if (provenance.User is not null || provenance.Host is not null)
            line.Append($", {Printable.Escape(provenance.User ?? "?")}@{Printable.Escape(provenance.Host ?? "?")}");
        if (provenance.SudoUser is { } sudoUser)
            line.Append($" (sudo from {Printable.Escape(sudoUser)})");
        if (provenance.Ci is { } run)
            line.Append($", GitHub Actions run {Printable.Escape(run.Url ?? run.RunId)}");
        return line.ToString();
    }

    private static string Describe(SnapshotRole role)
    {
        var step = role.Step switch
        {
            ProvisioningStep.Before => "before",
            ProvisioningStep.After => "after",
            _ => "failed state",
        };
        var record = role.Transaction;
        return record.Outcome == ProvisioningOutcome.Open
            ? $"{step}, open since {record.StartedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}"
            : $"{step}, {Outcome(record.Outcome)} after {record.DurationText}";
    }

    private static string Outcome(ProvisioningOutcome outcome) => outcome switch
    {
        ProvisioningOutcome.Succeeded => "succeeded",
        ProvisioningOutcome.RolledBack => "rolled back",
        ProvisioningOutcome.RollbackFailed => "failed, restore failed",
        ProvisioningOutcome.Abandoned => "abandoned",
        ProvisioningOutcome.Open => "open",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not an outcome of a provisioning transaction"),
    };

    public void Provisioning(ProvisioningRecord record, ProvisioningRecord? rolledBackFirst = null, bool upToDate = false)
    {
        if (upToDate)
        {
            stdout.WriteLine($"Provisioning '{record.Label}' of {record.Container} is up to date: its inputs are unchanged since it succeeded " +
                             $"on {record.EndedAt?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} (after snapshot {record.After}). Nothing was done.");
            return;
        }
        var summary = record.Outcome switch
        {
            ProvisioningOutcome.Open => $"Began provisioning '{record.Label}' of {record.Container}: before snapshot {record.Before}.",
            ProvisioningOutcome.Succeeded => $"Provisioning '{record.Label}' of {record.Container} succeeded after {record.DurationText}: before {record.Before}, after {record.After}.",
            ProvisioningOutcome.RolledBack => $"Provisioning '{record.Label}' of {record.Container} failed after {record.DurationText}: restored {record.Container} from {record.Before}" +
                 (record.FailedState is null ? "." : $"; the failed state is kept as {record.FailedState}."),
            ProvisioningOutcome.RollbackFailed => $"Provisioning '{record.Label}' of {record.Container} failed and {record.Container} could not be restored from {record.Before}: {record.Error}",
            ProvisioningOutcome.Abandoned => $"Provisioning '{record.Label}' of {record.Container} was abandoned; its before snapshot {record.Before} stays.",
            _ => throw new ArgumentOutOfRangeException(nameof(record), record.Outcome, "not an outcome of a provisioning transaction"),
        };
        stdout.WriteLine(summary);
        if (record.Pruned.Count > 0)
            stdout.WriteLine($"Pruned {string.Join(", ", record.Pruned)} of {record.Container}, keeping the newest.");
    }

    public void Pruned(string container, IReadOnlyList<PruneDecision> decisions, bool dryRun)
    {
        foreach (var decision in decisions)
        {
            var action = decision.Remove ? (dryRun ? "would destroy" : "destroyed") : "kept";
            stdout.WriteLine($"{action} {decision.Snapshot.Name}: {decision.Reason}");
        }
    }

    public void Restore(RestoreResult result)
    {
        if (result.Method is not { } method)
        {
            stdout.WriteLine(result.Replaced
                ? $"Would restore {result.From} to {result.Container.Name}, replacing the existing {result.Container.Name} in {result.Container.LxcPath} (dry run: nothing was changed)."
                : $"Would restore {result.From} to a new container {result.Container.Name} in {result.Container.LxcPath} (dry run: nothing was changed).");
            return;
        }
        stdout.WriteLine(result.Replaced
            ? $"Restored container {result.From.Container} from {result.From} to {result.Container.Name}, replacing the previous {result.Container.Name} ({method.Description})."
            : $"Restored container {result.From.Container} from {result.From} to {result.Container.Name} ({method.Description}).");
    }

    /// <summary>One line per path, <c>M&lt;TAB&gt;etc/passwd</c>, as git diff --name-status; written in one go.</summary>
    public void Diff(DiffResult result, bool totals)
    {
        var lines = new System.Text.StringBuilder(result.Changes.Count * 24);
        foreach (var change in result.Changes)
            lines.Append(DiffText.Mark(change.Kind)).Append('\t').Append(DiffText.QuotedPath(change.Path)).Append('\n');
        if (totals)
            lines.Append(DiffText.Totals(result)).Append('\n');
        stdout.Write(lines.ToString());
    }

    public void Destroyed(SnapshotStore store, string snapshot, bool dryRun) =>
        stdout.WriteLine(dryRun
            ? $"Would destroy snapshot {snapshot} in {store.Path} (dry run: nothing was changed)."
            : $"Destroyed snapshot {snapshot} in {store.Path}.");
}
