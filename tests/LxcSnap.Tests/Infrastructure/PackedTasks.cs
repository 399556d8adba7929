namespace LxcSnap.Tests.Infrastructure;

/// <summary>
/// The LxcSnap.Tasks package as `dotnet pack` makes it, packed once per test run into a local
/// folder feed, and projects that consume it from there the way a user's project would.
/// </summary>
public static class PackedTasks
{
    private static readonly Lazy<(string Feed, string Version)> Packed = new(Pack);

    /// <summary>The folder feed holding the one LxcSnap.Tasks package this test run packed.</summary>
    public static string Feed => Packed.Value.Feed;

    /// <summary>The package's version, as `dotnet pack` gave it (from the git tags, by MinVer).</summary>
    public static string Version => Packed.Value.Version;

    private static (string, string) Pack()
    {
        var feed = Path.Combine(AppContext.BaseDirectory, "packed-tasks");
        if (Directory.Exists(feed))
            Directory.Delete(feed, recursive: true);
        var project = Path.Combine(PublishedCli.RepositoryRoot(), "src", "LxcSnap.Tasks");
        lock (RepositoryBuild.Lock)
            Shell.Dotnet("pack", project, "-c", "Release", "-o", feed, "--nologo", "-v", "quiet");
        var package = Path.GetFileNameWithoutExtension(Assert.Single(Directory.GetFiles(feed, "LxcSnap.Tasks.*.nupkg")));
        return (feed, package["LxcSnap.Tasks.".Length..]);
    }

    /// <summary>
    /// Writes a project that uses the package from <see cref="Feed"/> into <paramref name="directory"/>,
    /// with a nuget.config that knows only that feed.
    /// </summary>
    public static string WriteConsumerProject(string directory, string projectXml)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="lxcsnap" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        var project = Path.Combine(directory, "provision.csproj");
        File.WriteAllText(project, projectXml);
        return project;
    }

    /// <summary>
    /// A consumer project whose target <c>Provision</c> (defined in <paramref name="targetsXml"/>)
    /// is guarded for <paramref name="container"/> in <paramref name="lxcPath"/>.
    /// </summary>
    public static string WriteGuardedProject(string directory, string container, string lxcPath, string targetsXml) =>
        WriteConsumerProject(directory, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <LxcSnapContainer>{container}</LxcSnapContainer>
                <LxcSnapLxcPath>{lxcPath}</LxcSnapLxcPath>
                <LxcSnapProvisioningTargets>Provision</LxcSnapProvisioningTargets>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="LxcSnap.Tasks" Version="{Version}" PrivateAssets="all" />
              </ItemGroup>
            {targetsXml}
            </Project>
            """);

    /// <summary>
    /// Runs `dotnet build` on a consumer project as a user would, with its own NuGet cache so that
    /// the package is always the one just packed.
    /// </summary>
    public static ProcessResult Build(string project, string packagesFolder, params string[] properties) =>
        Build(project, packagesFolder, new Dictionary<string, string>(), properties);

    /// <summary><see cref="Build(string, string, string[])"/> with <paramref name="variables"/> in its environment too.</summary>
    public static ProcessResult Build(string project, string packagesFolder, IReadOnlyDictionary<string, string> variables, params string[] properties)
    {
        var environment = new Dictionary<string, string>(variables) { ["NUGET_PACKAGES"] = packagesFolder };
        string[] arguments = ["build", project, "-nr:false", "--nologo", .. properties.Select(p => "-p:" + p)];
        return Shell.Run("dotnet", arguments, environment, TimeSpan.FromMinutes(5));
    }
}
