using System.CommandLine;
using System.CommandLine.Parsing;
using LxcSnap.Core;

namespace LxcSnap.Cli;

/// <summary>
/// What is wrong with a command line, said about the word that is wrong. System.CommandLine
/// reports what it could not place, which after a mistyped option is often the next word
/// ("Unrecognized command or argument 'mysql'" for <c>--lxcpth DIR mysql</c>), and words the rest
/// for programmers ("Required argument missing for command: 'run'").
/// </summary>
internal sealed partial class CommandLineSyntax
{
    /// <summary>The first mistake in <paramref name="parse"/>, in lxc-snap's words; null when there is none.</summary>
    private string? FirstMistake(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (UnknownOption(parse, command) is { } unknown)
            return unknown;
        if (command != Root && command != _diff && MissingArgument(parse, command) is { } missing)
            return missing;
        // What our own parsers said (a --keep that is no number) is worded already; the rest as it comes.
        return parse.Errors.Count > 0 ? string.Join("\n", parse.Errors.Select(e => e.Message)) : null;
    }

    /// <summary>
    /// A word before <c>--</c> that looks like an option but is none: named, with the option
    /// meant when one is close. (Negative numbers are values, for the options that check them.)
    /// </summary>
    private string? UnknownOption(ParseResult parse, Command command)
    {
        foreach (var token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
                break;
            var word = token.Value;
            if (token.Type != TokenType.Argument || word.Length < 2 || word[0] != '-' || char.IsAsciiDigit(word[1]))
                continue;
            var known = OptionNames(command);
            return Nearest(word, known) is { } meant
                ? $"unknown option '{word}': did you mean '{meant}'?"
                : $"unknown option '{word}'. The options of {CommandLine(command)} are in its --help.";
        }
        return null;
    }

    /// <summary>The options <paramref name="command"/> takes, its own and those it inherits from lxc-snap itself.</summary>
    private List<string> OptionNames(Command command) =>
        command.Options.Concat(command == Root ? [] : Root.Options.Where(o => o.Recursive))
            .SelectMany(o => o.Aliases.Prepend(o.Name))
            .Concat(["--help", "-h"])
            .Distinct()
            .ToList();

    /// <summary>The closest of <paramref name="candidates"/> to a mistyped option <paramref name="word"/>, if one is close enough to be what was meant.</summary>
    internal static string? Nearest(string word, IEnumerable<string> candidates) =>
        // Two edits in a long option (--lxcpth, --snapshotpath), none in a short one (-x for -c is not a typo worth guessing).
        Spelling.Nearest(word, candidates, maxEdits: word.StartsWith("--", StringComparison.Ordinal) ? Math.Max(2, word.Length / 4) : 0);

    /// <summary>A subcommand without the container or, for run, without the command to run.</summary>
    private string? MissingArgument(ParseResult parse, Command command)
    {
        var (container, words) = ContainerAndCommand(parse);
        if (container is null)
            return $"{command.Name} needs the container's NAME: {Usage(command)}.";
        if (command == _run && words.Count == 0)
            return $"run needs the COMMAND to run, after '--': {Usage(command)}.";
        return null;
    }

    private static string CommandLine(Command command) => command.Parents.Any() ? $"'lxc-snap {command.Name}'" : "lxc-snap";

    /// <summary>The one-line usage of a provisioning subcommand, as the help's summary shows it.</summary>
    private string Usage(Command command) => command switch
    {
        _ when command == _run => "lxc-snap run NAME [--label LABEL] [--keep-failed] -- COMMAND [ARGS...]",
        _ when command == _begin => "lxc-snap begin NAME [--label LABEL] [--replace|--recover]",
        _ when command == _end => "lxc-snap end NAME [--label LABEL] --success|--failure [--keep-failed]",
        _ => "lxc-snap prune NAME --keep N [--older-than DURATION] [--dry-run]",
    };

    /// <summary>A whole number of snapshots, 0 or more, in plain words when it is not one.</summary>
    private static int? ParseCount(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count))
            return count;
        result.AddError($"--keep takes a number of snapshots (0 or more), not '{text}'.");
        return null;
    }
}
