using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Action;

/// <summary>
/// The files GitHub reads, against their schemas (SchemaStore's github-action schema for action.yml
/// and prebuilt/action.yml, github-workflow for the release workflow), through the action
/// validator from npm, which picks the schema by file name. It is GPL-3.0: run by npx as a tool,
/// never vendored. scripts/install-prerequisites.sh installs npm where npx is missing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ActionMetadataTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("lxcsnap-action-yml-").FullName;

    private static ProcessResult Validate(string file) =>
        Shell.Run("npx", ["--yes", "@action-validator/cli", file], null, TimeSpan.FromMinutes(5));

    [Theory]
    [InlineData("action.yml")]
    [InlineData("prebuilt/action.yml")]
    [InlineData(".github/workflows/release.yml")]
    public void Validates_against_its_schema(string file)
    {
        var result = Validate(Path.Combine(PublishedCli.RepositoryRoot(), file));

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [InlineData("action.yml", "  post-if:", "  post-when:")]
    [InlineData("prebuilt/action.yml", "  post-if:", "  post-when:")]
    [InlineData(".github/workflows/release.yml", "permissions:", "permission:")]
    public void The_validator_rejects_a_key_the_schema_does_not_know(string file, string key, string misspelt)
    {
        // The broken copy has the original's name, for the validator to pick the same schema.
        var broken = Path.Combine(_scratch, file);
        Directory.CreateDirectory(Path.GetDirectoryName(broken)!);
        var original = File.ReadAllText(Path.Combine(PublishedCli.RepositoryRoot(), file));
        Assert.Contains("\n" + key, original);
        File.WriteAllText(broken, original.Replace("\n" + key, "\n" + misspelt));

        var result = Validate(broken);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(misspelt.Trim().TrimEnd(':'), result.Stdout + result.Stderr);
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
