using System.Text.RegularExpressions;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Action;

/// <summary>
/// The prebuilt action (prebuilt/action.yml, whose image the release workflow pushes) against
/// action.yml, and the release's image tags as scripts/action-image-tags.sh, which the workflow
/// runs, makes them for a pushed tag.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class PrebuiltActionTests : IDisposable
{
    private static readonly string TagScript = Path.Combine(PublishedCli.RepositoryRoot(), "scripts", "action-image-tags.sh");

    private readonly string _scratch = Directory.CreateTempSubdirectory("lxcsnap-release-").FullName;

    private static ProcessResult ImageTags(string tag, string owner, string? metadata = null) =>
        Shell.Run(TagScript, metadata is null ? [tag, owner] : [tag, owner, metadata], null, TimeSpan.FromMinutes(1));

    /// <summary>prebuilt/action.yml as it would be in a repository of <paramref name="owner"/> at major version <paramref name="major"/>.</summary>
    private string PrebuiltMetadata(string owner, string major)
    {
        var path = Path.Combine(_scratch, $"{owner}-{major}.yml");
        File.WriteAllText(path, PrebuiltImage().Replace(File.ReadAllText(ActionManifest.PrebuiltFilePath), $"  image: docker://ghcr.io/{owner}/lxcsnap-action:{major}"));
        return path;
    }

    /// <summary>The lines GitHub reads: comments and blank lines left out.</summary>
    private static IEnumerable<string> Content(string path) =>
        File.ReadLines(path).Where(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith('#'));

    [Fact]
    public void The_prebuilt_action_is_action_yml_but_for_its_image()
    {
        static string ImageLeftOut(string line) => line.StartsWith("  image:", StringComparison.Ordinal) ? "  image: (left out)" : line;

        // Line for line: the same inputs with the same defaults and descriptions, the same outputs
        // and stages; only runs.image differs.
        Assert.Equal(Content(ActionManifest.FilePath).Select(ImageLeftOut), Content(ActionManifest.PrebuiltFilePath).Select(ImageLeftOut));
        Assert.Equal("action.Dockerfile", ActionManifest.Load().Runs["image"]);
        Assert.StartsWith("docker://ghcr.io/", ActionManifest.Load(ActionManifest.PrebuiltFilePath).Runs["image"]);
    }

    [Fact]
    public void The_prebuilt_action_names_the_moving_tag_a_release_pushes()
    {
        var image = ActionManifest.Load(ActionManifest.PrebuiltFilePath).Runs["image"];
        var named = Regex.Match(image, "^docker://ghcr.io/(?<owner>[^/]+)/lxcsnap-action:(?<major>v[0-9]+)$");
        Assert.True(named.Success, image);

        var release = ImageTags(named.Groups["major"].Value + ".4.2", named.Groups["owner"].Value);

        Assert.True(release.ExitCode == 0, release.ToString());
        Assert.Contains(image["docker://".Length..], Outputs(release)["tags"].Split(' '));
        var workflow = File.ReadAllText(Path.Combine(PublishedCli.RepositoryRoot(), ".github", "workflows", "release.yml"));
        Assert.Contains("tags: ['v*.*.*']", workflow);
        Assert.Contains("scripts/action-image-tags.sh \"$GITHUB_REF_NAME\" \"$GITHUB_REPOSITORY_OWNER\" >> \"$GITHUB_OUTPUT\"", workflow);
    }

    [Fact]
    public void A_release_pushes_its_version_and_moves_the_major_tag_in_the_owners_lowercase_namespace()
    {
        var release = ImageTags("v2.5.1", "Acme-Labs", PrebuiltMetadata("acme-labs", "v2"));

        Assert.True(release.ExitCode == 0, release.ToString());
        var outputs = Outputs(release);
        Assert.Equal("2.5.1", outputs["version"]);
        Assert.Equal("ghcr.io/acme-labs/lxcsnap-action", outputs["image"]);
        Assert.Equal("ghcr.io/acme-labs/lxcsnap-action:v2.5.1 ghcr.io/acme-labs/lxcsnap-action:v2", outputs["tags"]);
    }

    [Fact]
    public void A_pre_release_does_not_move_the_major_tag()
    {
        var release = ImageTags("v2.6.0-rc.1", "acme-labs", PrebuiltMetadata("acme-labs", "v2"));

        Assert.True(release.ExitCode == 0, release.ToString());
        Assert.Equal("2.6.0-rc.1", Outputs(release)["version"]);
        Assert.Equal("ghcr.io/acme-labs/lxcsnap-action:v2.6.0-rc.1", Outputs(release)["tags"]);
    }

    [Theory]
    [InlineData("v2.5.1", "a-fork", "acme-labs", "v2", "set it to 'image: docker://ghcr.io/a-fork/lxcsnap-action:v2'")]
    [InlineData("v3.0.0", "acme-labs", "acme-labs", "v2", "set it to 'image: docker://ghcr.io/acme-labs/lxcsnap-action:v3'")]
    [InlineData("v2.5", "acme-labs", "acme-labs", "v2", "tag 'v2.5' is not a release version")]
    public void A_release_whose_prebuilt_action_would_pull_another_image_is_refused_before_anything_is_built(
        string tag, string owner, string ownerInMetadata, string majorInMetadata, string reason)
    {
        var release = ImageTags(tag, owner, PrebuiltMetadata(ownerInMetadata, majorInMetadata));

        Assert.Equal(1, release.ExitCode);
        Assert.Equal("", release.Stdout);
        Assert.Contains(reason, release.Stderr);
    }

    /// <summary>The step's outputs, as the runner reads the script's lines from GITHUB_OUTPUT.</summary>
    private Dictionary<string, string> Outputs(ProcessResult release)
    {
        var githubOutput = Path.Combine(_scratch, "set_output_" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(githubOutput, release.Stdout);
        return RunnerHarness.ReadFileCommands(githubOutput);
    }

    [GeneratedRegex("^  image: .*$", RegexOptions.Multiline)]
    private static partial Regex PrebuiltImage();

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
