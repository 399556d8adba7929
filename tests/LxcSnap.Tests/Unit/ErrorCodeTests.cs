using LxcSnap.Action.Stages;
using LxcSnap.Cli;
using LxcSnap.Core;
using LxcSnap.Nuke;
using LxcSnap.Tasks;

namespace LxcSnap.Tests.Unit;

/// <summary>
/// One vocabulary of errors for every front-end: each kind has its own MSBuild code, action
/// outcome and CLI exit code and survives lxc-snap's JSON; each remedy is worded in each
/// front-end's own terms, and never in another's.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ErrorCodeTests
{
    /// <summary>The kinds that are, by their meaning, "lxc-snap failed for another reason".</summary>
    private static readonly LxcSnapError[] Unspecific = [LxcSnapError.LxcFailed, LxcSnapError.FilesystemFailed];

    private static readonly string[] ActionOutcomes = ["refused", "failed", "rollback-failed"];
    private static readonly int[] FailureExitCodes = [ExitCodes.Failure, ExitCodes.Usage, ExitCodes.Interrupted];

    public static TheoryData<LxcSnapError> Errors => new(Enum.GetValues<LxcSnapError>());

    [Theory]
    [MemberData(nameof(Errors))]
    public void Each_error_kind_has_its_own_MSBuild_code_an_action_outcome_and_an_exit_code(LxcSnapError error)
    {
        var code = ErrorCodes.For(error);
        Assert.Equal(Unspecific.Contains(error), code == ErrorCodes.LxcSnapFailed);
        Assert.Matches("^LXS0[0-9][0-9]$", code);

        var outcome = ActionWording.Outcome(error);
        Assert.Contains(outcome, ActionOutcomes);
        Assert.Equal(error == LxcSnapError.RollbackFailed, outcome == "rollback-failed");

        Assert.Contains(ExitCodes.For(error), FailureExitCodes);
        Assert.Equal(error, LxcSnapErrors.FromKind(LxcSnapErrors.KindOf(error)));
    }

    [Theory]
    [InlineData(LxcSnapError.PermissionDenied, "LXS014")]
    [InlineData(LxcSnapError.ForeignContent, "LXS015")]
    [InlineData(LxcSnapError.Interrupted, "LXS013")]
    public void The_codes_of_reliability_errors_are_fixed(LxcSnapError error, string code) =>
        Assert.Equal(code, ErrorCodes.For(error));

    [Fact]
    public void A_busy_container_or_an_open_transaction_is_refused_by_the_action_not_failed()
    {
        Assert.Equal("refused", ActionWording.Outcome(LxcSnapError.TransactionConflict));
        Assert.Equal("refused", ActionWording.Outcome(LxcSnapError.ContainerRunning));
        Assert.Equal("failed", ActionWording.Outcome(LxcSnapError.LxcFailed));
    }

    private static readonly Remedy[] EveryRemedy =
    [
        new Remedy.ReplaceExisting(), new Remedy.AllowRunning(), new Remedy.AbandonOpenTransaction(),
        new Remedy.ChooseLxcPath(), new Remedy.ChooseLxcPath("/srv/lxc"), new Remedy.ChooseStore(),
        new Remedy.RunCommand("lxc-stop -P /srv/lxc -n web", "stops it"), new Remedy.Advice("choose another name"),
    ];

    public static TheoryData<Remedy> Remedies => new(EveryRemedy);

    [Theory]
    [MemberData(nameof(Remedies))]
    public void Each_front_end_words_a_remedy_in_its_own_terms_only(Remedy remedy)
    {
        var cli = CliWording.Instance.Describe(remedy);
        var msbuild = MSBuildWording.Instance.Describe(remedy);
        var nuke = NukeWording.Instance.Describe(remedy);
        var action = ActionWording.Instance.Describe(remedy);

        Assert.NotNull(cli);
        Assert.NotNull(RemedyWording.Neutral.Describe(remedy));
        if (remedy is Remedy.RunCommand or Remedy.Advice)
        {
            Assert.All(new[] { msbuild, nuke, action }, words => Assert.Equal(cli, words));
            return;
        }
        // An option is named in the host's own terms, or not at all.
        string[] cliFlags = ["--force", "--allow-running", "--replace", "-P", "--lxcpath", "--snapshot-path"];
        Assert.All(new[] { msbuild, nuke, action, RemedyWording.Neutral.Describe(remedy) }.OfType<string>(), words =>
            Assert.DoesNotContain(cliFlags, flag => words.Split(' ').Contains(flag)));
        if (msbuild is not null)
            Assert.Matches("LxcSnap[A-Za-z]+Path|LxcSnapReplaceOpen=|Force=|AllowRunning=", msbuild);
        if (nuke is not null)
            Assert.Contains("--lxc-", nuke);
        if (action is not null)
            Assert.Contains("the input ", action);
    }

    public static TheoryData<string> MSBuildCodes => new(typeof(ErrorCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(constant => constant.IsLiteral)
        .Select(constant => (string)constant.GetRawConstantValue()!));

    [Theory]
    [MemberData(nameof(MSBuildCodes))]
    public void Each_MSBuild_code_links_to_its_row_in_the_docs(string code)
    {
        var link = ErrorCodes.HelpLink(code);

        // The test build knows no repository: its links point at this checkout's docs/msbuild.md.
        var page = Path.Combine(Infrastructure.PublishedCli.RepositoryRoot(), "docs", "msbuild.md");
        Assert.Equal($"file://{page}#{code.ToLowerInvariant()}", link);
        Assert.Contains($"| <a id=\"{code.ToLowerInvariant()}\"></a>{code}", File.ReadAllText(page));
    }

    [Fact]
    public void Problem_and_remedies_survive_lxc_snaps_json_error()
    {
        var stdout = new StringWriter();
        new ErrorReporter(stdout, new StringWriter(), json: true)
            .Report(new LxcSnapException(LxcSnapError.TargetExists, "container 'web' already exists", EveryRemedy), ExitCodes.Failure);

        var failure = new Core.Client.LxcSnapOutcome(1, System.Text.Json.JsonDocument.Parse(stdout.ToString()).RootElement, "").Error()!;

        Assert.Equal(LxcSnapError.TargetExists, failure.Error);
        Assert.Equal("container 'web' already exists", failure.Problem);
        Assert.Equal(EveryRemedy, failure.Remedies);
    }
}
