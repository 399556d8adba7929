using LxcSnap.Core;
using LxcSnap.Core.Provisioning;
using LxcSnap.Core.Retention;
using LxcSnap.Core.Snapshots;

namespace LxcSnap.Cli;

/// <summary>Carries out run, begin, end and prune through LxcSnap.Core.</summary>
internal sealed class ProvisioningCommands(SnapshotEngine engine, IResultWriter output, Action<string> notice)
{
    private readonly ProvisioningTransactions _transactions = new(engine, notice);

    public int Execute(CliRequest request, CancellationToken stopRequested) => request.Mode switch
    {
        CliMode.Run => Run(request, stopRequested),
        CliMode.Begin when request.Recover => Report(_transactions.BeginRecovering(request.Target!, request.Label, stopRequested)),
        CliMode.Begin => Report(_transactions.Begin(request.Target!, request.Label, request.Replace, stopRequested)),
        CliMode.End when request.Succeeded => Report(_transactions.Succeed(request.Target!, request.Label)),
        CliMode.End => Report(_transactions.Fail(request.Target!, request.Label, request.KeepFailed)),
        CliMode.Prune => Prune(request),
        _ => throw new InvalidOperationException($"{request.Mode} is not a provisioning command."),
    };

    /// <summary>
    /// Begin, run the command, then succeed on exit code 0 or fail (restore) otherwise. A stop
    /// request while the command runs counts as failure, and the restore finishes before we exit.
    /// </summary>
    private int Run(CliRequest request, CancellationToken stopRequested)
    {
        var executable = CommandLocator.Find(request.Command[0])
            ?? throw new LxcSnapException(LxcSnapError.InvalidArgument,
                $"command '{request.Command[0]}' not found: give a path or a program on PATH. Nothing was snapshotted.");
        var begun = _transactions.Begin(request.Target!, request.Label, cancellation: stopRequested);
        notice($"provisioning '{begun.Label}' of {begun.Container}: before snapshot {begun.Before}");

        int exitCode;
        try
        {
            exitCode = ChildCommand.Run([executable, .. request.Command.Skip(1)], new Dictionary<string, string>
            {
                ["LXCSNAP_CONTAINER"] = begun.Container,
                ["LXCSNAP_LXCPATH"] = begun.LxcPath,
                ["LXCSNAP_BEFORE"] = begun.Before,
            }, stopRequested);
        }
        catch
        {
            _transactions.Fail(begun.Container, begun.Label, request.KeepFailed);
            throw;
        }

        var succeeded = exitCode == 0 && !stopRequested.IsCancellationRequested;
        var ended = succeeded
            ? _transactions.Succeed(begun.Container, begun.Label)
            : _transactions.Fail(begun.Container, begun.Label, request.KeepFailed);
        output.Provisioning(ended);
        return succeeded ? ExitCodes.Success : exitCode == 0 ? ExitCodes.Interrupted : exitCode;
    }

    private int Report(ProvisioningRecord record)
    {
        output.Provisioning(record);
        return ExitCodes.Success;
    }

    private int Report((ProvisioningRecord Begun, ProvisioningRecord? RolledBack) recovered)
    {
        output.Provisioning(recovered.Begun, rolledBackFirst: recovered.RolledBack);
        return ExitCodes.Success;
    }

    private int Prune(CliRequest request)
    {
        var policy = new PrunePolicy(request.Keep, request.OlderThan is null ? null : DurationText.Parse(request.OlderThan));
        var decisions = new SnapshotPruner(engine, _transactions).Prune(request.Target!, policy, request.DryRun);
        output.Pruned(request.Target!, decisions, request.DryRun);
        return ExitCodes.Success;
    }
}
