using System.CommandLine;
using System.Reflection;
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
        var parse = syntax.Root.Parse(args);
        if (parse.Action is System.CommandLine.Help.HelpAction)
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });

        var (request, usageError) = syntax.Interpret(parse);
        var errors = new ErrorReporter(stdout, stderr, json: request?.Json ?? args.Contains("--json"));
        if (request is null)
            return errors.Report("usage", usageError + "\nTry 'lxc-snap --help' for more information.", ExitCodes.Usage);

        using var interruption = new InterruptionGuard();
        try
        {
            return Execute(request, stdout, stderr, interruption.Token);
        }
        catch (Exception e) when (interruption.Token.IsCancellationRequested
                                  && e is OperationCanceledException or LxcSnapException { Error: LxcSnapError.LxcFailed })
        {
            // Ctrl+C also reaches liblxc's rsync child, which then fails the copy: that too is our
            // interruption, and the staging area guarantees it changed nothing. (A failed restore
            // during a rollback is not: it arrives as RollbackFailed and is reported as such.)
            return errors.Report("interrupted", "interrupted: nothing was changed.", ExitCodes.Interrupted);
        }
        catch (LxcSnapException e)
        {
            return errors.Report(e.Error, e.Message, e.Error == LxcSnapError.InvalidArgument ? ExitCodes.Usage : ExitCodes.Failure);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return errors.Report(LxcSnapError.FilesystemFailed, e.Message, ExitCodes.Failure);
        }
    }

    private static int Execute(CliRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        if (request.Mode == CliMode.Version)
        {
            stdout.WriteLine($"lxc-snap {ToolVersion()} (liblxc {LxcVersionOrReason()})");
            return ExitCodes.Success;
        }

        // Everything the user named is checked before liblxc is touched or anything is made.
        var comment = request.CommentFile is null ? null : CommentFile.Read(request.CommentFile);
        var engine = CreateEngine(request, stderr);
        var output = request.Json ? (IResultWriter)new JsonResultWriter(stdout) : new TextResultWriter(stdout);

        switch (request.Mode)
        {
            case CliMode.Snapshot:
                output.Snapshot(engine.Snapshot(request.Target!, comment, request.AllowRunning, cancellation));
                break;
            case CliMode.ListContainers:
                output.Containers(engine.Store, engine.Store.Containers());
                break;
            case CliMode.ListSnapshots:
                var roles = new ProvisioningTransactions(engine).Roles(request.Target!);
                output.Snapshots(engine.Store, request.Target!, engine.Store.Snapshots(request.Target!), roles);
                break;
            case CliMode.Restore:
                output.Restore(engine.Restore(request.Target!, request.NewName!, request.Force, cancellation));
                break;
            case CliMode.Destroy:
                engine.Destroy(request.Target!);
                output.Destroyed(engine.Store, request.Target!);
                break;
            default:
                return new ProvisioningCommands(engine, output, stderr).Execute(request, cancellation);
        }
        return ExitCodes.Success;
    }

    private static SnapshotEngine CreateEngine(CliRequest request, TextWriter stderr)
    {
        var lxcPath = Path.GetFullPath(request.LxcPath ?? DefaultLxcPath(request));
        if (request.LxcPath is not null && request.Mode != CliMode.Restore && !Directory.Exists(lxcPath))
        {
            throw new LxcSnapException(LxcSnapError.InvalidArgument,
                $"lxcpath '{request.LxcPath}' does not exist: give the directory that holds your containers.");
        }
        var store = SnapshotStore.Resolve(request.SnapshotPath, lxcPath);
        return new SnapshotEngine(lxcPath, store, note => stderr.WriteLine($"lxc-snap: {note}"));
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

    private static string LxcVersionOrReason()
    {
        try
        {
            return SnapshotEngine.LxcVersion;
        }
        catch (LxcSnapException e)
        {
            return e.Message;
        }
    }

    private static string ToolVersion() =>
        typeof(LxcSnapCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}
