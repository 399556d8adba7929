using System.Text.RegularExpressions;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.MSBuild;

/// <summary>
/// The README's MSBuild project file, pasted as it stands over the one `dotnet new console` made,
/// built against the packed package.
/// </summary>
[Trait("Category", "Lxc")]
public sealed partial class ReadmeExampleTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    [Fact]
    public void The_README_project_file_pasted_into_a_console_project_builds_provisions_and_then_is_up_to_date()
    {
        var readme = File.ReadAllText(Path.Combine(PublishedCli.RepositoryRoot(), "README.md"));
        var example = ProjectInMSBuildSection().Match(readme);
        Assert.True(example.Success, "README.md has no project file in its MSBuild section");
        var directory = Path.Combine(_sandbox.Root, "project");
        var created = Shell.Run("dotnet", ["new", "console", "-o", directory, "-n", "provision", "--no-restore"], null, TimeSpan.FromMinutes(2));
        Assert.True(created.ExitCode == 0, created.ToString());
        var project = PackedTasks.WriteConsumerProject(directory, example.Groups["project"].Value);
        var web = _sandbox.CreateBusybox("web");

        // Only the lxcpath differs from the README: tests never touch /var/lib/lxc.
        var build = PackedTasks.Build(project, Path.Combine(_sandbox.Root, "packages"), $"LxcSnapLxcPath={_sandbox.LxcPath}");
        var rebuild = PackedTasks.Build(project, Path.Combine(_sandbox.Root, "packages"), $"LxcSnapLxcPath={_sandbox.LxcPath}");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Equal(["web_0", "web_1"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        Assert.Null(LxcSandbox.ReadFile(_sandbox.Snapshot("web_0"), "/srv/www/index.html"));
        Assert.Equal("<h1>provisioned by dotnet build</h1>\n", LxcSandbox.ReadFile(_sandbox.Snapshot("web_1"), "/srv/www/index.html"));
        Assert.Equal("H:/srv/www\n", LxcSandbox.ReadFile(web, "/etc/httpd.conf"));
        var program = Shell.Run("dotnet", [Path.Combine(directory, "bin", "Debug", "net10.0", "provision.dll")], null, TimeSpan.FromMinutes(1));
        Assert.Equal("Hello, World!\n", program.Stdout);
        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        Assert.Contains("LxcSnap: provisioning 'provision' of web is up to date", rebuild.Stdout);
    }

    [GeneratedRegex(@"### MSBuild.*?```xml\n(?<project>.*?)```", RegexOptions.Singleline)]
    private static partial Regex ProjectInMSBuildSection();

    public void Dispose() => _sandbox.Dispose();
}
