using LxcSnap.Action.Host;
using LxcSnap.Core;
using LxcSnap.Core.Provisioning;
using LxcSnap.Core.Snapshots;
using LxcSnap.Core.Store;

namespace LxcSnap.Action.Stages;

/// <summary>
/// The part of the action that runs in the host's namespaces: it checks that it really sees the
/// host, that the container is on the host's allowlist, and then does one step of a provisioning
/// transaction through LxcSnap.Core's <see cref="ProvisioningRunner"/>, the sequence every
/// front-end shares. It holds no snapshot logic of its own.
/// </summary>
internal sealed class HostAgent(IReadOnlyDictionary<string, string> hostEnvironment, TextWriter log)
{
    /// <summary>The outcome of an <see cref="HostRequest.OnlyIfOpen"/> request when no transaction was open.</summary>
    public const string NothingOpen = "NothingOpen";

    public HostResult Execute(HostRequest request)
    {
        if (HostView.WhyNotVisible() is { } why)
            return HostResult.Refused($"host state not visible: {why}. Nothing was done.");

        try
        {
            var defaultLxcPath = SnapshotEngine.DefaultLxcPath;
            var lxcPath = Path.GetFullPath(string.IsNullOrWhiteSpace(request.LxcPath) ? defaultLxcPath : request.LxcPath);
            var allowlist = Allowlist.Load(AllowlistPath());
            if (!allowlist.Allows(lxcPath, request.Container, defaultLxcPath))
                return HostResult.Refused(allowlist.Refusal(lxcPath, request.Container));
            if (!Directory.Exists(lxcPath))
                return HostResult.Refused($"lxcpath {lxcPath} does not exist on the host: nothing was done.");

            var engine = SnapshotEngine.ForPaths(lxcPath, request.SnapshotPath, log.WriteLine);
            // The main stage begins the transaction, the post stage ends it.
            engine.Provenance = Provenance.FromEnvironment(request.Workflow ?? [],
                command: request.Operation == HostOperation.SnapshotBefore ? "begin" : "end",
                Environment.UserName, Environment.MachineName, tool: Provenance.GitHubActionTool);
            var store = engine.Store;
            var transactions = new ProvisioningTransactions(engine, log.WriteLine);
            if (request.OnlyIfOpen && transactions.FindOpen(request.Container, request.Label) is null)
                return new HostResult { Succeeded = true, Outcome = NothingOpen, Container = request.Container, Label = request.Label };
            // The stages are the runner's two steps: main begins, post ends as the job went.
            var runner = new ProvisioningRunner(transactions);
            var provisioning = new ProvisioningRequest(request.Container, request.Label, request.KeepFailed,
                request.ReplaceOpen ? OpenTransactionPolicy.Abandon : OpenTransactionPolicy.Refuse, request.Keep);
            var record = request.Operation switch
            {
                HostOperation.SnapshotBefore => runner.Begin(provisioning).Transaction,
                HostOperation.SnapshotAfter => runner.End(provisioning, ProvisioningResult.Succeeded),
                _ => runner.End(provisioning, ProvisioningResult.Failed),
            };
            return Describe(record, store.Path) with { RunUrl = engine.Provenance.Ci?.Url };
        }
        catch (Exception e) when (e is LxcSnapException or IOException or UnauthorizedAccessException)
        {
            var error = LxcSnapException.FromFileSystem(e);
            return new HostResult { Succeeded = false, ErrorKind = ActionWording.Outcome(error.Error), Error = ActionWording.Instance.Message(error) };
        }
    }

    private string AllowlistPath() =>
        hostEnvironment.TryGetValue(Allowlist.PathVariable, out var path) && path.Length > 0 ? path : Allowlist.DefaultPath;

    private static HostResult Describe(ProvisioningRecord record, string storePath) => new()
    {
        Succeeded = true,
        Container = record.Container,
        LxcPath = record.LxcPath,
        SnapshotPath = storePath,
        Label = record.Label,
        Outcome = record.Outcome.ToString(),
        Before = record.Before,
        After = record.After,
        RestoredFrom = record.Outcome == ProvisioningOutcome.RolledBack ? record.Before : null,
        FailedState = record.FailedState,
        Pruned = record.Pruned.Count > 0 ? record.Pruned : null,
        DurationSeconds = record.Duration?.TotalSeconds,
    };
}
