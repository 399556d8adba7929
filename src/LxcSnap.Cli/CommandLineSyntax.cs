using System.CommandLine;
using System.CommandLine.Help;

namespace LxcSnap.Cli;

/// <summary>
/// lxc-snap's command line: the original tool's flags (<c>-l [NAME]</c>, <c>-r SNAP NEWNAME</c>,
/// <c>-c FILE</c>, <c>-P DIR</c>) with long options beside them, parsed by System.CommandLine and
/// turned into one <see cref="CliRequest"/> or a usage error.
/// </summary>
internal sealed partial class CommandLineSyntax
{
    public const string Summary = """
        Snapshot LXC containers, list their versions and restore them.

          lxc-snap [-c COMMENTFILE] NAME   snapshot container NAME into the store as NAME_N
          lxc-snap -l                      list the containers that have snapshots
          lxc-snap -l NAME                 list NAME's versions with their times and comments
          lxc-snap -r NAME_N NEWNAME       restore version N to the container NEWNAME
          lxc-snap -d NAME_N               destroy a snapshot (--dry-run: only say what -r or -d would do)

        Provisioning transactions: a snapshot before, a snapshot after success, a restore on failure.
          lxc-snap run NAME [--label L] [--keep-failed] -- COMMAND [ARGS...]
          lxc-snap begin NAME [--label L] [--replace|--recover]
          lxc-snap end NAME [--label L] --success|--failure [--keep-failed]
          lxc-snap prune NAME --keep N [--older-than DURATION] [--dry-run]

        What changed: one line per path, as git diff --name-status (A, D, M, T; m for metadata only).
          lxc-snap diff NAME_N [NAME_M|CONTAINER] [--stat] [--exit-code]

        As with LXC's tools, -n NAME may stand for the NAME above, -q keeps stderr to
        errors, and -o FILE [--logpriority LEVEL] writes liblxc's log.

        The store is --snapshot-path, else $LXCSNAP_STORE, else the lxcpath followed by "snaps"
        (/var/lib/lxcsnaps for /var/lib/lxc). Each snapshot is a container there:
        lxc-start -P /var/lib/lxcsnaps -n NAME_N starts it.
        Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted.
        """;

    /// <summary>
    /// The root command. Not a <see cref="RootCommand"/>: that builds its help and version options
    /// at once, and their descriptions come from System.CommandLine's resources, whose first read
    /// (a ResourceManager, found by reflection) was 0.45 ms of a 5.5 ms start-up. Help is added
    /// by <see cref="Parse"/> when it is asked for; our own --version also reports liblxc's.
    /// </summary>
    public Command Root { get; }

    private readonly Argument<string[]> _names = new("NAME")
    {
        Description = "The container to snapshot (or, after -l/-r, the container or new name).",
        Arity = new ArgumentArity(0, 2),
        // The summary shows where NAME goes; listed, it would also appear in every subcommand's usage.
        Hidden = true,
        // Without one, System.CommandLine makes the empty default with Array.CreateInstance,
        // which wakes the runtime's type loader: 5% of the page faults of a start-up.
        DefaultValueFactory = _ => [],
    };

    private readonly Option<string?> _list = new("--list", "-l")
    {
        Description = "List the containers that have snapshots, or with NAME, NAME's versions.",
        Arity = ArgumentArity.ZeroOrOne,
        HelpName = "NAME",
    };

    private readonly Option<string[]> _restore = new("--restore", "-r")
    {
        Description = "Restore snapshot NAME_N to the container NEWNAME.",
        Arity = new ArgumentArity(1, 2),
        AllowMultipleArgumentsPerToken = true,
        HelpName = "NAME_N NEWNAME",
    };

    private readonly Option<string?> _destroy = new("--destroy", "-d")
    {
        Description = "Destroy snapshot NAME_N (refused while other containers depend on it).",
        HelpName = "NAME_N",
    };

    private readonly Option<string?> _commentFile = new("--comment", "-c")
    {
        Description = "Keep the contents of this file as the snapshot's comment.",
        HelpName = "COMMENTFILE",
    };

    private readonly Option<string?> _lxcPath = new("--lxcpath", "-P")
    {
        Recursive = true,
        Description = "The containers' lxcpath (default: LXC's lxc.lxcpath, usually /var/lib/lxc).",
        HelpName = "DIR",
    };

    private readonly Option<string?> _snapshotPath = new("--snapshot-path")
    {
        Recursive = true,
        Description = "The snapshot store (default: $LXCSNAP_STORE, else LXCPATH + \"snaps\").",
        HelpName = "DIR",
    };

    private readonly Option<bool> _allowRunning = new("--allow-running")
    {
        Description = "Snapshot a running container, frozen while it is copied.",
    };

    private readonly Option<bool> _force = new("--force", "-f")
    {
        Description = "With -r: replace an existing NEWNAME (the restored copy is complete before the old one goes).",
    };

    private readonly Option<bool> _json = new("--json")
    {
        Recursive = true,
        Description = "Print the result, or the error, as one JSON document on stdout (schema version 1: docs/json.md).",
    };

    private readonly Option<bool> _dryRunRoot = new("--dry-run")
    {
        Description = "With -d or -r: make every check, say what would be done, change nothing.",
    };

    private readonly Option<bool> _version = new("--version")
    {
        Description = "Show lxc-snap's and liblxc's versions.",
    };

    private readonly Option<string?> _name = new("--name", "-n")
    {
        Description = "The container to snapshot or, with -l, to list, as LXC's tools name it: the same as NAME.",
        HelpName = "NAME",
    };

    private readonly Option<bool> _quiet = new("--quiet", "-q")
    {
        Recursive = true,
        Description = "Print only the result and errors: no notes on stderr.",
    };

    private readonly Option<string?> _logFile = new("--logfile", "-o")
    {
        Recursive = true,
        Description = "Also write liblxc's log to FILE (appended), as LXC's tools do.",
        HelpName = "FILE",
    };

    private readonly Option<string?> _logPriority = new("--logpriority")
    {
        Recursive = true,
        Description = "The lowest level liblxc writes to --logfile: TRACE, DEBUG, INFO, NOTICE, WARN, ERROR (the default), CRIT, ALERT or FATAL.",
        HelpName = "LEVEL",
    };

    public CommandLineSyntax()
    {
        Root = new Command("lxc-snap", Summary);
        Root.Arguments.Add(_names);
        foreach (var option in new Option[] { _list, _restore, _destroy, _commentFile, _name, _lxcPath, _snapshotPath, _allowRunning, _force, _dryRunRoot, _json, _quiet, _logFile, _logPriority, _version })
            Root.Options.Add(option);
        AddProvisioningCommands();
        AddDiffCommand();
        // With subcommands, System.CommandLine requires one unless the root can act by itself;
        // LxcSnapCommand acts on the parse, so this action is never invoked.
        Root.SetAction(_ => ExitCodes.Success);
    }

    /// <summary>The names System.CommandLine's <see cref="HelpOption"/> answers to (a unit test keeps them equal).</summary>
    internal static readonly string[] HelpNames = ["--help", "-h", "/h", "-?", "/?"];

    /// <summary>Parses a command line, with the help option when one of its names is there.</summary>
    public ParseResult Parse(IReadOnlyList<string> args)
    {
        if (args.Any(HelpNames.Contains) && !Root.Options.OfType<HelpOption>().Any())
            Root.Options.Add(new HelpOption());
        return Root.Parse(args);
    }

    /// <summary>Turns a parse into a request, or a usage error message.</summary>
    public (CliRequest? Request, string? UsageError) Interpret(ParseResult parse)
    {
        if (FirstMistake(parse) is { } mistake)
            return Usage(mistake);
        if (EmptyPath(parse) is { } empty)
            return Usage(empty);
        if (LogPriorityProblem(parse.GetValue(_logPriority)) is { } priority)
            return Usage(priority);
        if (parse.GetValue(_logPriority) is not null && parse.GetValue(_logFile) is null)
            return Usage("--logpriority sets the level of -o/--logfile: give the log file too.");
        if (parse.CommandResult.Command == _diff)
            return InterpretDiff(parse, Common(parse));
        if (parse.CommandResult.Command != Root)
            return InterpretProvisioning(parse, Common(parse));

        var names = parse.GetValue(_names) ?? [];
        var listing = parse.GetResult(_list) is not null;
        var restoring = parse.GetResult(_restore) is not null;
        var destroying = parse.GetResult(_destroy) is not null;
        var common = Common(parse) with
        {
            CommentFile = parse.GetValue(_commentFile),
            AllowRunning = parse.GetValue(_allowRunning),
            Force = parse.GetValue(_force),
        };

        if (parse.GetValue(_version))
            return (common with { Mode = CliMode.Version }, null);
        if (parse.GetValue(_name) is { } named)
        {
            if (restoring || destroying)
                return Usage("-n/--name names a container (to snapshot, or to list with -l); -r takes NAME_N NEWNAME and -d takes NAME_N.");
            if (names.Length > 0 || parse.GetValue(_list) is not null)
                return Usage("name the container once: as NAME or as -n NAME.");
            names = [named];
        }
        if (new[] { listing, restoring, destroying }.Count(m => m) > 1)
            return Usage("choose one of -l, -r and -d.");
        if (common.CommentFile is not null && (listing || restoring || destroying))
            return Usage("-c/--comment applies only when taking a snapshot.");
        if (common.AllowRunning && (listing || restoring || destroying))
            return Usage("--allow-running applies only when taking a snapshot.");
        if (common.Force && !restoring)
            return Usage("--force applies only to -r (restore).");
        if (parse.GetValue(_dryRunRoot) && !restoring && !destroying)
            return Usage("--dry-run applies to -d, -r and prune.");

        if (listing)
        {
            var container = parse.GetValue(_list);
            var operands = container is null ? names : [container, .. names];
            return operands.Length switch
            {
                0 => (common with { Mode = CliMode.ListContainers }, null),
                1 => (common with { Mode = CliMode.ListSnapshots, Target = operands[0] }, null),
                _ => Usage($"-l takes at most one container name, got: {string.Join(" ", operands)}."),
            };
        }
        if (restoring)
        {
            string[] operands = [.. parse.GetValue(_restore) ?? [], .. names];
            return operands.Length == 2
                ? (common with { Mode = CliMode.Restore, Target = operands[0], NewName = operands[1], DryRun = parse.GetValue(_dryRunRoot) }, null)
                : Usage("-r needs a snapshot and a new name: lxc-snap -r NAME_N NEWNAME.");
        }
        if (destroying)
        {
            return names.Length == 0
                ? (common with { Mode = CliMode.Destroy, Target = parse.GetValue(_destroy), DryRun = parse.GetValue(_dryRunRoot) }, null)
                : Usage($"unexpected argument after -d: {string.Join(" ", names)}.");
        }
        return names.Length switch
        {
            1 => (common with { Target = names[0] }, null),
            0 => Usage("name the container to snapshot: lxc-snap [-c COMMENTFILE] NAME."),
            _ => Usage($"snapshot one container at a time, got: {string.Join(" ", names)}."),
        };
    }

    /// <summary>The options every command shares: where the containers and the store are, and the output format.</summary>
    private CliRequest Common(ParseResult parse) => new(CliMode.Snapshot)
    {
        LxcPath = parse.GetValue(_lxcPath),
        SnapshotPath = parse.GetValue(_snapshotPath),
        Json = parse.GetValue(_json),
        Quiet = parse.GetValue(_quiet),
        LogFile = parse.GetValue(_logFile),
        LogPriority = parse.GetValue(_logPriority)?.ToUpperInvariant(),
    };

    /// <summary>liblxc's log levels, lowest first (lxc_log_init takes their names).</summary>
    internal static readonly string[] LogPriorities = ["TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "ERROR", "CRIT", "ALERT", "FATAL"];

    private static string? LogPriorityProblem(string? priority) =>
        priority is null || LogPriorities.Contains(priority.ToUpperInvariant())
            ? null
            : $"--logpriority takes one of {string.Join(", ", LogPriorities)}, not '{priority}'.";

    private static (CliRequest?, string?) Usage(string message) => (null, message);

    /// <summary>An option given with an empty value is a mistake (an unset variable), never a request for the default.</summary>
    private string? EmptyPath(ParseResult parse)
    {
        if (parse.GetResult(_lxcPath) is not null && string.IsNullOrEmpty(parse.GetValue(_lxcPath)))
            return "-P/--lxcpath is empty: name the directory that holds the containers, or leave the option out for LXC's default.";
        if (parse.GetResult(_snapshotPath) is not null && string.IsNullOrEmpty(parse.GetValue(_snapshotPath)))
            return "--snapshot-path is empty: name the store's directory, or leave the option out for the default (the lxcpath followed by \"snaps\").";
        return null;
    }
}
