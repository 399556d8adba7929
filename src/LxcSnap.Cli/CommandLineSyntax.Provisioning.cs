using System.CommandLine;
using System.CommandLine.Parsing;

namespace LxcSnap.Cli;

/// <summary>The provisioning subcommands: run, begin, end and prune.</summary>
internal sealed partial class CommandLineSyntax
{
    private readonly Command _run = new("run", "Run COMMAND on the host inside a provisioning transaction: snapshot before, snapshot after success, restore on failure. COMMAND's exit code becomes lxc-snap's.");
    private readonly Command _begin = new("begin", "Take the before snapshot of a provisioning transaction that a later 'end' closes.");
    private readonly Command _end = new("end", "End a provisioning transaction: --success takes the after snapshot, --failure restores the before snapshot.");
    private readonly Command _prune = new("prune", "Destroy old snapshots of NAME, never the before snapshot of an open transaction nor one another container depends on.");

    private readonly Argument<string> _transactionContainer = new("NAME") { Description = "The container." };
    private readonly Argument<string[]> _command = new("COMMAND") { Description = "The command to run (after --) and its arguments.", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string?> _label = new("--label") { Description = "Names the transaction (default: provisioning).", HelpName = "LABEL" };
    private readonly Option<bool> _keepFailed = new("--keep-failed") { Description = "On failure, snapshot the failed state before restoring, for a post-mortem." };
    private readonly Option<bool> _replace = new("--replace") { Description = "Abandon an open transaction of NAME instead of refusing." };
    private readonly Option<bool> _recover = new("--recover") { Description = "Roll back an open transaction with the same label first (one an interrupted run left)." };
    private readonly Option<bool> _success = new("--success") { Description = "Provisioning succeeded." };
    private readonly Option<bool> _failure = new("--failure") { Description = "Provisioning failed: restore NAME." };
    private readonly Option<int?> _keep = new("--keep") { Description = "Keep the newest N snapshots (run, end --success: after the after snapshot).", HelpName = "N", CustomParser = ParseCount };
    private readonly Option<string?> _olderThan = new("--older-than") { Description = "Only destroy snapshots older than this (30m, 12h, 7d, 2w, 1d12h).", HelpName = "DURATION" };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Show what would be destroyed; destroy nothing." };
    private readonly Option<string?> _inputsHash = new("--inputs-hash") { Description = "A fingerprint of what provisioning is given (a hash of its files), recorded with the transaction.", HelpName = "HASH" };
    private readonly Option<bool> _skipIfUnchanged = new("--skip-if-unchanged") { Description = "Do nothing when the label's newest transaction succeeded with the same --inputs-hash and its after snapshot exists." };

    private void AddProvisioningCommands()
    {
        _run.Arguments.Add(_transactionContainer);
        _run.Arguments.Add(_command);
        _run.Options.Add(_label);
        _run.Options.Add(_keepFailed);
        _run.Options.Add(_keep);
        _run.Options.Add(_inputsHash);
        _run.Options.Add(_skipIfUnchanged);

        _begin.Arguments.Add(_transactionContainer);
        _begin.Options.Add(_label);
        _begin.Options.Add(_replace);
        _begin.Options.Add(_recover);
        _begin.Options.Add(_inputsHash);
        _begin.Options.Add(_skipIfUnchanged);

        _end.Arguments.Add(_transactionContainer);
        _end.Options.Add(_label);
        _end.Options.Add(_success);
        _end.Options.Add(_failure);
        _end.Options.Add(_keepFailed);
        _end.Options.Add(_keep);

        _prune.Arguments.Add(_transactionContainer);
        _prune.Options.Add(_keep);
        _prune.Options.Add(_olderThan);
        _prune.Options.Add(_dryRun);

        foreach (var command in new[] { _run, _begin, _end, _prune })
            Root.Subcommands.Add(command);
    }

    private (CliRequest? Request, string? UsageError) InterpretProvisioning(ParseResult parse, CliRequest common)
    {
        var command = parse.CommandResult.Command;
        var (container, words) = ContainerAndCommand(parse);
        if ((command == _run || command == _end) && parse.GetValue(_keep) == 0)
            return Usage($"--keep of {command.Name} is 1 or more: the after snapshot is the newest, and is kept.");
        if ((command == _run || command == _begin) && parse.GetValue(_skipIfUnchanged) && parse.GetValue(_inputsHash) is null)
            return Usage($"--skip-if-unchanged of {command.Name} needs --inputs-hash HASH: the fingerprint of the inputs to compare with the last successful provisioning.");
        var request = common with
        {
            Target = container,
            Label = parse.GetValue(_label),
            InputsHash = parse.GetValue(_inputsHash),
            SkipIfUnchanged = parse.GetValue(_skipIfUnchanged),
        };
        if (command == _run)
        {
            return (request with
            {
                Mode = CliMode.Run,
                KeepFailed = parse.GetValue(_keepFailed),
                Command = words,
                Keep = parse.GetValue(_keep),
            }, null);
        }
        if (command == _begin)
        {
            var replace = parse.GetValue(_replace);
            var recover = parse.GetValue(_recover);
            return replace && recover
                ? Usage("choose one of --replace (abandon the open transaction) and --recover (roll it back).")
                : (request with { Mode = CliMode.Begin, Replace = replace, Recover = recover }, null);
        }
        if (command == _end)
        {
            var success = parse.GetValue(_success);
            var failure = parse.GetValue(_failure);
            if (success == failure)
                return Usage("end needs exactly one of --success and --failure.");
            if (success && parse.GetValue(_keepFailed))
                return Usage("--keep-failed applies only with --failure.");
            if (!success && parse.GetValue(_keep) is not null)
                return Usage("--keep applies only with --success: a failed provisioning takes no after snapshot.");
            return (request with { Mode = CliMode.End, Succeeded = success, KeepFailed = parse.GetValue(_keepFailed), Keep = parse.GetValue(_keep) }, null);
        }
        var keep = parse.GetValue(_keep);
        var olderThan = parse.GetValue(_olderThan);
        if (keep is null && olderThan is null)
            return Usage("prune needs --keep N, --older-than DURATION, or both.");
        return (request with { Mode = CliMode.Prune, Keep = keep, OlderThan = olderThan, DryRun = parse.GetValue(_dryRun) }, null);
    }

    /// <summary>
    /// The container and, for run, the command. NAME is never after '--': when the parser put the
    /// first word after it there, that word is the command's and NAME is missing (null).
    /// </summary>
    private (string? Container, IReadOnlyList<string> Command) ContainerAndCommand(ParseResult parse)
    {
        var positional = parse.GetResult(_transactionContainer) is { Tokens.Count: > 0 } given ? given.Tokens[0] : null;
        var afterDoubleDash = parse.Tokens.SkipWhile(t => t.Type != TokenType.DoubleDash).Skip(1).ToList();
        return positional is not null && afterDoubleDash.Contains(positional)
            ? (null, afterDoubleDash.Select(t => t.Value).ToList())
            : (positional?.Value, parse.GetResult(_command)?.Tokens.Select(t => t.Value).ToList() ?? []);
    }
}
