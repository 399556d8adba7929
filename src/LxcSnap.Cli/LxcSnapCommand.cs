using System.CommandLine;
using System.CommandLine.Help;
using LxcSnap.Core;
using LxcSnap.Core.Provisioning;
using LxcSnap.Core.Snapshots;
using LxcSnap.Core.Store;

namespace LxcSnap.Cli;

/// <summary>Runs one lxc-snap command line: parse, act through LxcSnap.Core, print, return the exit code.</summary>
internal static class LxcSnapCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var syntax = new CommandLineSyntax();
        var parse = syntax.Parse(args);
        if (parse.Action is HelpAction)
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });

        var (request, usageError) = syntax.Interpret(parse);
        var errors = new ErrorReporter(stdout, stderr, json: request?.Json ?? args.Contains("--json"));
        if (request is null)
            return errors.Report(LxcSnapErrors.UsageKind, usageError + "\nTry 'lxc-snap --help' for more information.", ExitCodes.Usage);

        // Before anything is touched, a command that changes something turns Ctrl+C into an
        // orderly interruption. One that only reads (--version, the listings) is ended by it as
        // any reader is: the guard's signal thread was a tenth of their start-up.
        using var interruption = request.ChangesNothing ? null : new InterruptionGuard(stderr);
        var cancellation = interruption?.Token ?? CancellationToken.None;
        try
        {
            return Execute(request, stdout, stderr, interruption);
        }
        catch (Exception e) when (cancellation.IsCancellationRequested
                                  && e is OperationCanceledException or LxcSnapException { Error: LxcSnapError.LxcFailed })
        {
            // Ctrl+C also reaches liblxc's rsync child, which then fails the copy: that too is our
            // interruption, and the staging area guarantees it changed nothing. (A failed restore
            // during a rollback is not: it arrives as RollbackFailed and is reported as such.)
            var interrupted = new LxcSnapException(LxcSnapError.Interrupted, "interrupted: nothing was changed.");
            return errors.Report(interrupted, ExitCodes.For(interrupted.Error));
        }
        catch (LxcSnapException e)
        {
            return errors.Report(e, ExitCodes.For(e.Error));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var failure = LxcSnapException.FromFileSystem(e);
            return errors.Report(failure, ExitCodes.For(failure.Error));
        }
    }

    private static int Execute(CliRequest request, TextWriter stdout, TextWriter stderr, InterruptionGuard? interruption)
    {
        var cancellation = interruption?.Token ?? CancellationToken.None;
        if (request.Mode == CliMode.Version)
        {
            var (liblxc, problem) = LxcVersion();
            if (request.Json)
                JsonResultWriter.Version(stdout, ToolVersion.Text, liblxc, problem);
            else
                stdout.WriteLine($"lxc-snap {ToolVersion.Text} (liblxc {liblxc ?? problem})");
            return ExitCodes.Success;
        }

        // Everything the user named is checked before liblxc is touched or anything is made.
        var comment = request.CommentFile is null ? null : CommentFile.Read(request.CommentFile);
        if (request.LogFile is not null)
        {
            // Opened now, so that a log file that cannot be written is refused before anything is done.
            Core.Interop.LxcLibrary.UseLogFile(request.LogFile, request.LogPriority);
            Core.Interop.LxcLibrary.EnsureLoaded();
        }
        var progress = request.ChangesNothing ? null
            : ProgressDisplay.ForTerminal(stderr, request.Quiet, request.Mode == CliMode.Restore ? $"restoring {request.Target} to {request.NewName}" : $"copying {request.Target}");
        var notices = NoticeWriter(stderr, request.Quiet, progress);
        var engine = CreateEngine(request, notices);
        engine.Progress = progress is null ? null : progress.Report;
        if (request.Mode is CliMode.Snapshot or CliMode.Run or CliMode.Begin or CliMode.End)
            engine.Provenance = Provenance.OfThisProcess(command: request.Mode.ToString().ToLowerInvariant());
        if (interruption is not null && progress is not null)
            interruption.BeforeMessage = progress.Clear;
        try
        {
            return Act(request, comment, engine, stdout, notices, interruption, cancellation);
        }
        finally
        {
            progress?.Clear();
        }
    }

    private static int Act(CliRequest request, SnapshotComment? comment, SnapshotEngine engine, TextWriter stdout,
        Action<string> notices, InterruptionGuard? interruption, CancellationToken cancellation)
    {
        var output = request.Json ? (IResultWriter)new JsonResultWriter(stdout) : new TextResultWriter(stdout);

        switch (request.Mode)
        {
            case CliMode.Snapshot:
                output.Snapshot(engine.Snapshot(request.Target!, comment, request.AllowRunning, cancellation));
                break;
            case CliMode.ListContainers:
                if (!engine.Store.Exists)
                    notices($"the snapshot store {engine.Store.Path} does not exist (nothing was snapshotted into it yet).");
                output.Containers(engine.Store, engine.Store.Containers());
                break;
            case CliMode.ListSnapshots:
                ListSnapshots(engine, request.Target!, request.Json, output, notices);
                break;
            case CliMode.Restore:
                output.Restore(engine.Restore(request.Target!, request.NewName!, request.Force, request.DryRun, cancellation));
                break;
            case CliMode.Destroy:
                engine.Destroy(request.Target!, request.DryRun);
                output.Destroyed(engine.Store, request.Target!, request.DryRun);
                break;
            case CliMode.Diff:
                var diff = engine.Diff(request.Target!, request.CompareWith, cancellation);
                output.Diff(diff, request.Stat);
                return request.ExitCodeOnDifference && !diff.Identical ? ExitCodes.Differences : ExitCodes.Success;
            default:
                return new ProvisioningCommands(engine, output, notices, interruption).Execute(request, cancellation);
        }
        return ExitCodes.Success;
    }

    /// <summary>
    /// -l NAME: the listing on stdout; on stderr, what is wrong with a snapshot's metadata, and a
    /// word when there is nothing to list (so that an empty stdout is never mistaken for an answer).
    /// </summary>
    private static void ListSnapshots(SnapshotEngine engine, string container, bool json, IResultWriter output, Action<string> notices)
    {
        var snapshots = engine.Store.Snapshots(container, withBacking: json); // only JSON shows the backing store
        var roles = new ProvisioningTransactions(engine, notices).Roles(container);
        foreach (var problem in snapshots.SelectMany(s => s.Problems))
            notices(problem);
        if (snapshots.Count == 0)
        {
            notices(engine.Store.Exists
                ? $"no snapshots of {Printable.Quote(container)} in {engine.Store.Path}."
                : $"the snapshot store {engine.Store.Path} does not exist (nothing was snapshotted into it yet).");
        }
        output.Snapshots(engine.Store, container, snapshots, roles);
    }

    /// <summary>Notes for people on stderr: progress, recovery, what was skipped; none with -q. A progress line gives way to them.</summary>
    private static Action<string> NoticeWriter(TextWriter stderr, bool quiet, ProgressDisplay? progress) =>
        quiet ? _ => { } : note =>
        {
            progress?.Clear();
            stderr.WriteLine($"lxc-snap: {ErrorReporter.Printable(note)}");
        };

    private static SnapshotEngine CreateEngine(CliRequest request, Action<string> notices)
    {
        var lxcPath = request.LxcPath ?? DefaultLxcPath(request);
        if (request.LxcPath is not null && request.Mode != CliMode.Restore && !Directory.Exists(lxcPath))
        {
            throw new LxcSnapException(LxcSnapError.InvalidArgument,
                $"lxcpath {Printable.Quote(request.LxcPath)} does not exist: give the directory that holds your containers.");
        }
        return SnapshotEngine.ForPaths(lxcPath, request.SnapshotPath, notices);
    }

    // Listing needs no liblxc: it reads the store. Everything else asks liblxc for its default.
    private static string DefaultLxcPath(CliRequest request) =>
        request.Mode is CliMode.ListContainers or CliMode.ListSnapshots && !IsLxcAvailable()
            ? "/var/lib/lxc"
            : SnapshotEngine.DefaultLxcPath;

    private static bool IsLxcAvailable()
    {
        try
        {
            _ = SnapshotEngine.LxcVersion;
            return true;
        }
        catch (LxcSnapException)
        {
            return false;
        }
    }

    /// <summary>liblxc's version, or why it cannot be known (not installed, too old).</summary>
    private static (string? Version, string? Problem) LxcVersion()
    {
        try
        {
            return (SnapshotEngine.LxcVersion, null);
        }
        catch (LxcSnapException e)
        {
            return (null, e.Message);
        }
    }
}
