using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Action;

/// <summary>
/// action.yml against the action metadata schema (SchemaStore's github-action schema), through
/// the action validator from npm. It is GPL-3.0: run by npx as a tool, never vendored.
/// scripts/install-prerequisites.sh installs npm where npx is missing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ActionMetadataTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("lxcsnap-action-yml-").FullName;

    private static ProcessResult Validate(string actionYml) =>
        Shell.Run("npx", ["--yes", "@action-validator/cli", actionYml], null, TimeSpan.FromMinutes(5));

    [Fact]
    public void Action_yml_validates_against_the_action_metadata_schema()
    {
        var result = Validate(ActionManifest.FilePath);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void The_validator_rejects_a_key_the_schema_does_not_know()
    {
        // The validator picks the schema by file name: the broken copy must be called action.yml too.
        var broken = Path.Combine(_scratch, "action.yml");
        File.WriteAllText(broken, File.ReadAllText(ActionManifest.FilePath).Replace("  post-if:", "  post-when:"));

        var result = Validate(broken);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("post-when", result.Stdout + result.Stderr);
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
