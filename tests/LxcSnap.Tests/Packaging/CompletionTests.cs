using System.CommandLine;
using LxcSnap.Cli;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Packaging;

/// <summary>
/// The bash and zsh completions of packaging/completions, as a user pressing TAB gets them: bash
/// through its completion function, zsh in a real interactive shell on a pseudo-terminal. Both
/// offer every option the parser has, so that the two files never fall behind it.
/// </summary>
[Trait("Category", "Unit")]
public sealed class CompletionTests
{
    private static string Completions => Path.Combine(PublishedCli.RepositoryRoot(), "packaging", "completions");

    /// <summary>Every option a command takes, by every name: its own and the root's that subcommands inherit.</summary>
    public static TheoryData<string> Commands => new(["", "run", "begin", "end", "prune", "diff"]);

    private static SortedSet<string> ParserOptions(string subcommand)
    {
        var root = new CommandLineSyntax().Root;
        var command = subcommand == "" ? root : root.Subcommands.Single(c => c.Name == subcommand);
        var options = command.Options.Concat(subcommand == "" ? [] : root.Options.Where(o => o.Recursive));
        return new SortedSet<string>(options.SelectMany(o => o.Aliases.Prepend(o.Name)).Concat(["--help", "-h"]), StringComparer.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Bash_offers_every_option_of_each_command(string subcommand)
    {
        var words = subcommand == "" ? "lxc-snap -" : $"lxc-snap {subcommand} web -";
        var offered = Shell.Run("bash", "-c",
            $"source {Completions}/lxc-snap.bash; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); _lxc_snap; printf '%s\\n' \"${{COMPREPLY[@]}}\"");

        Assert.Equal(ParserOptions(subcommand), new SortedSet<string>(offered.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Zsh_offers_every_long_option_of_each_command(string subcommand)
    {
        var screen = ZshAfterTab(subcommand == "" ? "lxc-snap --" : $"lxc-snap {subcommand} web --");

        // zsh lists "--option  -- description" a line each, and options without one in columns.
        var offered = screen.SelectMany(line => line.Split(" -- ")[0].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(word => word.StartsWith("--", StringComparison.Ordinal) && word != "--");
        var expected = ParserOptions(subcommand).Where(o => o.StartsWith("--", StringComparison.Ordinal));
        Assert.Empty(expected.Except(offered));
    }

    [Fact]
    public void Zsh_completes_a_unique_prefix_in_place() =>
        Assert.Contains(ZshAfterTab("lxc-snap begin web --skip"), line => line.Contains("lxc-snap begin web --skip-if-unchanged ", StringComparison.Ordinal));

    [Fact]
    public void Zsh_completes_the_command_of_run_after_the_double_dash_as_files_after_it() =>
        Assert.Contains(ZshAfterTab("lxc-snap run web -- ls /us"), line => line.Contains("lxc-snap run web -- ls /usr/", StringComparison.Ordinal));

    [Fact]
    public void Zsh_completes_snapshots_of_the_store_named_before_the_subcommand()
    {
        var store = Directory.CreateTempSubdirectory("lxcsnap-completion-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(store, "web_7"));
            Directory.CreateDirectory(Path.Combine(store, "web_8"));

            var screen = ZshAfterTab($"lxc-snap --snapshot-path {store} diff web_");

            Assert.Contains(screen, line => line.Contains("web_7", StringComparison.Ordinal) && line.Contains("web_8", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    /// <summary>
    /// What an interactive zsh shows once <paramref name="line"/> is typed and TAB pressed, one
    /// screen line each, escape sequences removed. Each step waits for what zsh prints when it is
    /// done, never for a time: the line is typed once the prompt is up (zsh drops what is typed
    /// before it), and after TAB the line is cleared and a marker printed, read up to.
    /// </summary>
    private static List<string> ZshAfterTab(string line)
    {
        var script = $$"""
            zmodload zsh/zpty
            zpty z 'zsh -f -i'
            zpty -w z 'PS1="%% "; fpath=({{Completions}} $fpath); autoload -U compinit; compinit -u -D; LISTMAX=0; print SETUP''-DONE'
            zpty -r -m z setup '*SETUP-DONE*% *'
            zpty -n -w z {{ZshQuote(line)}}$'\t'
            zpty -n -w z $'\C-e\C-u'
            zpty -w z 'print COMPLETION''-DONE'
            zpty -r -m z out '*COMPLETION-DONE*'
            print -r -- "$out"
            zpty -d z
            """;
        var result = Shell.Run("zsh", ["-f", "-c", script], null, TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.ToString());
        // Terminal control sequences, and a character zsh printed and then backspaced over.
        var text = System.Text.RegularExpressions.Regex.Replace(result.Stdout, @"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|.\x08", "");
        return text.Replace("\r", "\n").Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
    }

    private static string ZshQuote(string text) => "'" + text.Replace("'", "'\\''") + "'";
}
