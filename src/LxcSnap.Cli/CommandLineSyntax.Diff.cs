using System.CommandLine;

namespace LxcSnap.Cli;

/// <summary>The diff subcommand: what differs between a snapshot and another snapshot or a container.</summary>
internal sealed partial class CommandLineSyntax
{
    internal const string DiffUsage = "lxc-snap diff NAME_N [NAME_M|CONTAINER] [--stat] [--exit-code]";

    private readonly Command _diff = new("diff", "Show the paths that differ from snapshot NAME_N to another snapshot or a container (default: NAME as it is now), as git diff --name-status: A added, D deleted, M contents changed, T type changed, m metadata only (mode, owner, xattrs, symlink target). Reads only; a running container may change while it is compared.");

    private readonly Argument<string[]> _diffOperands = new("NAME_N [NAME_M|CONTAINER]")
    {
        Description = "The snapshot, and what to compare it with: a snapshot of the store, else a container of the lxcpath.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<bool> _stat = new("--stat") { Description = "End with one line of totals: how many paths were added, deleted, modified..." };
    private readonly Option<bool> _exitCode = new("--exit-code") { Description = "Exit with 1 when they differ, 0 when they do not (as git diff --exit-code)." };

    private void AddDiffCommand()
    {
        _diff.Arguments.Add(_diffOperands);
        _diff.Options.Add(_stat);
        _diff.Options.Add(_exitCode);
        Root.Subcommands.Add(_diff);
    }

    private (CliRequest? Request, string? UsageError) InterpretDiff(ParseResult parse, CliRequest common)
    {
        var operands = parse.GetValue(_diffOperands) ?? [];
        return operands.Length switch
        {
            0 => Usage($"diff needs the snapshot to compare: {DiffUsage}."),
            > 2 => Usage($"diff compares two things, got {operands.Length}: {string.Join(" ", operands)}."),
            _ => (common with
            {
                Mode = CliMode.Diff,
                Target = operands[0],
                CompareWith = operands.Length == 2 ? operands[1] : null,
                Stat = parse.GetValue(_stat),
                ExitCodeOnDifference = parse.GetValue(_exitCode),
            }, null),
        };
    }
}
