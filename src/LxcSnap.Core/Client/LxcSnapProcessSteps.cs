using System.Text.Json;
using LxcSnap.Core.Provisioning;

namespace LxcSnap.Core.Client;

/// <summary>
/// The steps of a provisioning transaction done by <c>lxc-snap begin</c> and <c>lxc-snap end</c>
/// processes (<see cref="LxcSnapProcess"/>), for build hosts that must never call liblxc in their
/// own long-lived process: the MSBuild guard and the NUKE component. A failure comes back as the
/// <see cref="LxcSnapException"/> lxc-snap threw, kind, problem and remedies, for the host to word.
/// </summary>
/// <param name="cliPath">lxc-snap.dll or an lxc-snap executable.</param>
/// <param name="lxcPath">The lxcpath, or null for LXC's default.</param>
/// <param name="snapshotPath">The store, or null for lxc-snap's default.</param>
/// <param name="log">Receives lxc-snap's notes as they come.</param>
/// <param name="caller">The build host, recorded in the snapshots lxc-snap takes for it.</param>
public sealed class LxcSnapProcessSteps(string cliPath, string? lxcPath, string? snapshotPath, Action<string> log, LxcSnapCaller? caller = null) : IProvisioningSteps
{
    public BeginResult Begin(ProvisioningRequest request, CancellationToken cancellation)
    {
        string[] policy = request.OpenTransaction switch
        {
            OpenTransactionPolicy.RecoverSameLabel => ["--recover"],
            OpenTransactionPolicy.Abandon => ["--replace"],
            _ => [],
        };
        string[] inputs = request.InputsHash is { } hash ? ["--inputs-hash", hash] : [];
        string[] skip = request.SkipIfUnchanged ? ["--skip-if-unchanged"] : [];
        var begun = Run([.. Transaction("begin", request), .. policy, .. inputs, .. skip], cancellation);
        var transaction = begun.GetProperty("transaction");
        return new BeginResult(
            Read(transaction),
            transaction.TryGetProperty("rolledBackFirst", out var rolledBack) ? Read(rolledBack) : null,
            UpToDate: begun.TryGetProperty("upToDate", out var upToDate) && upToDate.ValueKind == JsonValueKind.True);
    }

    /// <remarks>Never cancelled: a restore cut off half-way helps nobody.</remarks>
    public ProvisioningRecord EndWith(ProvisioningRequest request, ProvisioningResult result)
    {
        string[] outcome = result == ProvisioningResult.Succeeded
            ? request.Keep is { } keep ? ["--success", "--keep", keep.ToString(System.Globalization.CultureInfo.InvariantCulture)] : ["--success"]
            : request.KeepFailed ? ["--failure", "--keep-failed"]
            : ["--failure"];
        var ended = Run([.. Transaction("end", request), .. outcome], CancellationToken.None);
        var pruned = ended.TryGetProperty("pruned", out var names) && names.ValueKind == JsonValueKind.Array
            ? names.EnumerateArray().Select(n => n.GetString() ?? "").ToList()
            : [];
        return Read(ended.GetProperty("transaction")) with { Pruned = pruned };
    }

    /// <summary>Runs lxc-snap with this host's paths and returns its JSON result; a failure is thrown.</summary>
    public JsonElement Run(IEnumerable<string> arguments, CancellationToken cancellation)
    {
        var all = new List<string>();
        if (!string.IsNullOrEmpty(lxcPath))
            all.AddRange(["-P", lxcPath]);
        if (!string.IsNullOrEmpty(snapshotPath))
            all.AddRange(["--snapshot-path", snapshotPath]);
        all.AddRange(arguments);
        var outcome = LxcSnapProcess.Run(cliPath, all, log, cancellation, caller);
        if (outcome.Error() is { } error)
            throw error;
        return outcome.Json ?? throw new LxcSnapException(LxcSnapError.LxcFailed, $"lxc-snap {string.Join(' ', all)} printed no JSON.");
    }

    private static string[] Transaction(string step, ProvisioningRequest request) =>
        request.Label is null ? [step, request.Container] : [step, request.Container, "--label", request.Label];

    /// <summary>A transaction as lxc-snap's --json prints it (docs/json.md).</summary>
    private static ProvisioningRecord Read(JsonElement transaction)
    {
        string? Text(string name) => transaction.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        DateTimeOffset? Time(string name) => Text(name) is { } text ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
        return new ProvisioningRecord
        {
            Id = Text("id") ?? "",
            Container = Text("container") ?? "",
            LxcPath = Text("lxcPath") ?? "",
            Label = Text("label") ?? "",
            Outcome = Enum.TryParse<ProvisioningOutcome>(Text("outcome"), ignoreCase: true, out var outcome) ? outcome : ProvisioningOutcome.Open,
            Before = Text("before") ?? "",
            After = Text("after"),
            FailedState = Text("failedState"),
            InputsHash = Text("inputsHash"),
            StartedAt = Time("startedAt") ?? default,
            EndedAt = Time("endedAt"),
            Error = Text("error"),
        };
    }
}
