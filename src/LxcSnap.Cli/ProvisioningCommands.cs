using LxcSnap.Core;
using LxcSnap.Core.Provisioning;
using LxcSnap.Core.Retention;
using LxcSnap.Core.Snapshots;

namespace LxcSnap.Cli;

/// <summary>Carries out run, begin, end and prune through LxcSnap.Core.</summary>
/// <param name="interruption">Told what an interruption leads to at each step; null when nothing can interrupt.</param>
internal sealed class ProvisioningCommands(SnapshotEngine engine, IResultWriter output, Action<string> notice, InterruptionGuard? interruption)
{
    private readonly ProvisioningTransactions _transactions = new(engine, notice);

    public int Execute(CliRequest request, CancellationToken stopRequested)
    {
        if (request.Mode == CliMode.End)
        {
            interruption?.Explain(() => request.Succeeded
                ? $"the after snapshot of {request.Target} is finished first (it is taken whole or not at all)."
                : $"the restore of {request.Target} is finished first: a restore is never cut off half-way.");
        }
        return Dispatch(request, stopRequested);
    }

    private int Dispatch(CliRequest request, CancellationToken stopRequested) => request.Mode switch
    {
        CliMode.Run => Run(request, stopRequested),
        CliMode.Begin => Report(new ProvisioningRunner(_transactions).Begin(Transaction(request), stopRequested)),
        CliMode.End when request.Succeeded => Report(_transactions.Succeed(request.Target!, request.Label, request.Keep)),
        CliMode.End => Report(_transactions.Fail(request.Target!, request.Label, request.KeepFailed)),
        CliMode.Prune => Prune(request),
        _ => throw new InvalidOperationException($"{request.Mode} is not a provisioning command."),
    };

    /// <summary>
    /// The command inside a provisioning transaction (<see cref="ProvisioningRunner"/>): succeeded
    /// on exit code 0, unless a stop was asked for meanwhile; the restore that follows a failure or
    /// a stop finishes before we exit. The exit code is the command's; 130 when it was stopped and
    /// yet exited 0.
    /// </summary>
    private int Run(CliRequest request, CancellationToken stopRequested)
    {
        var executable = CommandLocator.Find(request.Command[0])
            ?? throw new LxcSnapException(LxcSnapError.InvalidArgument,
                $"command '{request.Command[0]}' not found: give a path or a program on PATH. Nothing was snapshotted.");
        var exitCode = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (ended, result) = new ProvisioningRunner(_transactions).Run(
            Transaction(request),
            (begun, stop) =>
            {
                notice($"provisioning '{begun.Label}' of {begun.Container}: before snapshot {begun.Before}");
                // A restore copies what the before snapshot copied: about as long.
                var snapshotSeconds = clock.Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
                var commandRunning = true;
                interruption?.Explain(() =>
                    (commandRunning ? $"stopping {Path.GetFileName(executable)} (SIGTERM), then restoring " : "restoring ") +
                    $"{begun.Container} from {begun.Before}, which takes about as long as that snapshot did ({snapshotSeconds} s). Do not kill lxc-snap meanwhile.");
                exitCode = ChildCommand.Run([executable, .. request.Command.Skip(1)], new Dictionary<string, string>
                {
                    ["LXCSNAP_CONTAINER"] = begun.Container,
                    ["LXCSNAP_LXCPATH"] = begun.LxcPath,
                    ["LXCSNAP_BEFORE"] = begun.Before,
                }, stdoutToStderr: request.Json, stop);
                commandRunning = false;
                return exitCode == 0;
            },
            stopRequested);
        output.Provisioning(ended, upToDate: result == ProvisioningResult.Skipped);
        return result switch
        {
            ProvisioningResult.Succeeded or ProvisioningResult.Skipped => ExitCodes.Success,
            ProvisioningResult.Cancelled when exitCode == 0 => ExitCodes.Interrupted,
            _ => exitCode,
        };
    }

    private int Report(ProvisioningRecord record)
    {
        output.Provisioning(record);
        return ExitCodes.Success;
    }

    private int Report(BeginResult begun)
    {
        output.Provisioning(begun.Transaction, begun.RolledBackFirst, begun.UpToDate);
        return ExitCodes.Success;
    }

    /// <summary>The transaction run and begin ask for: begin's --replace and --recover say what an open one means.</summary>
    private static ProvisioningRequest Transaction(CliRequest request) => new(
        request.Target!, request.Label, request.KeepFailed,
        request.Recover ? OpenTransactionPolicy.RecoverSameLabel : request.Replace ? OpenTransactionPolicy.Abandon : OpenTransactionPolicy.Refuse,
        request.Keep, request.InputsHash, request.SkipIfUnchanged);

    private int Prune(CliRequest request)
    {
        var policy = new PrunePolicy(request.Keep, request.OlderThan is null ? null : DurationText.Parse(request.OlderThan));
        var decisions = new SnapshotPruner(engine, _transactions).Prune(request.Target!, policy, request.DryRun);
        output.Pruned(request.Target!, decisions, request.DryRun);
        return ExitCodes.Success;
    }
}
