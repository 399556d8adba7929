using LxcSnap.Action.Host;
using LxcSnap.Core;
using LxcSnap.Core.Provisioning;
using LxcSnap.Core.Snapshots;
using LxcSnap.Core.Store;

namespace LxcSnap.Action.Stages;

/// <summary>
/// The part of the action that runs in the host's namespaces: it checks that it really sees the
/// host, that the container is on the host's allowlist, and then does one step of a provisioning
/// transaction through LxcSnap.Core's <see cref="ProvisioningTransactions"/>. It holds no snapshot
/// logic of its own.
/// </summary>
internal sealed class HostAgent(IReadOnlyDictionary<string, string> hostEnvironment, TextWriter log)
{
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

            var store = SnapshotStore.Resolve(request.SnapshotPath, lxcPath);
            var transactions = new ProvisioningTransactions(new SnapshotEngine(lxcPath, store, log.WriteLine), log.WriteLine);
            var record = request.Operation switch
            {
                HostOperation.SnapshotBefore => transactions.Begin(request.Container, request.Label, request.ReplaceOpen),
                HostOperation.SnapshotAfter => transactions.Succeed(request.Container, request.Label),
                _ => transactions.Fail(request.Container, request.Label, request.KeepFailed),
            };
            return Describe(record, store.Path);
        }
        catch (LxcSnapException e)
        {
            return new HostResult
            {
                Succeeded = false,
                ErrorKind = e.Error == LxcSnapError.RollbackFailed ? "rollback-failed" : "failed",
                Error = e.Message,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new HostResult { Succeeded = false, ErrorKind = "failed", Error = e.Message };
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
        DurationSeconds = record.Duration?.TotalSeconds,
    };
}
