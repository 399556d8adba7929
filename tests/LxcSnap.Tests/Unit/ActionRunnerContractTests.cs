using LxcSnap.Action.Runner;
using LxcSnap.Tests.Action;

namespace LxcSnap.Tests.Unit;

/// <summary>The action's side of the runner contract, read back the way the runner reads it.</summary>
[Trait("Category", "Unit")]
public sealed class ActionRunnerContractTests
{
    [Fact]
    public void An_error_with_a_multi_line_reason_stays_one_annotation_with_its_text_intact()
    {
        var stdout = new StringWriter();

        new WorkflowCommands(stdout).Error("LxcSnap: refused, 100%", "line one\nline two: 50% done\r");

        var command = Assert.Single(RunnerHarness.ParseCommands(stdout.ToString()));
        Assert.Equal("error", command.Name);
        Assert.Equal("LxcSnap: refused, 100%", command.Properties["title"]);
        Assert.Equal("line one\nline two: 50% done\r", command.Data);
    }

    [Fact]
    public void Outputs_and_state_use_the_heredoc_form_so_any_value_survives()
    {
        var file = Path.GetTempFileName();
        try
        {
            var files = new FileCommands(new Dictionary<string, string> { ["GITHUB_OUTPUT"] = file, ["GITHUB_STATE"] = file });

            files.SetOutput("before-snapshot", "web_0");
            files.SaveState("label", "multi\nline = value");

            var values = RunnerHarness.ReadFileCommands(file);
            Assert.Equal("web_0", values["before-snapshot"]);
            Assert.Equal("multi\nline = value", values["label"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Inputs_are_read_from_upper_cased_names_with_their_dashes_kept()
    {
        var inputs = new ActionInputs(new Dictionary<string, string> { ["INPUT_KEEP-FAILED"] = " true ", ["INPUT_SNAPSHOT-PATH"] = "" });

        Assert.Equal("INPUT_RESTORE-ON-FAILURE", ActionInputs.VariableName("restore-on-failure"));
        Assert.True(inputs.Boolean("keep-failed", whenEmpty: false));
        Assert.Null(inputs.Optional("snapshot-path"));
        Assert.Throws<ActionInputException>(() => inputs.Required("container"));
    }
}
