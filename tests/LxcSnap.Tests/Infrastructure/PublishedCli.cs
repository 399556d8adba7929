namespace LxcSnap.Tests.Infrastructure;

/// <summary>
/// The lxc-snap executable as `dotnet publish src/LxcSnap.Cli` makes it, published once per test
/// run, so the command-line tests exercise what users install.
/// </summary>
public static class PublishedCli
{
    private static readonly Lazy<string> Executable = new(Publish);

    public static string Path => Executable.Value;

    public static ProcessResult Run(params string[] arguments) => Run(arguments, null);

    public static ProcessResult Run(IEnumerable<string> arguments, IDictionary<string, string>? environment) =>
        Shell.Run(Path, arguments, environment, TimeSpan.FromMinutes(3));

    private static string Publish()
    {
        var preset = Environment.GetEnvironmentVariable("LXCSNAP_CLI");
        if (!string.IsNullOrEmpty(preset))
            return preset;
        var output = System.IO.Path.Combine(AppContext.BaseDirectory, "published-cli");
        var project = System.IO.Path.Combine(RepositoryRoot(), "src", "LxcSnap.Cli");
        lock (RepositoryBuild.Lock)
            Shell.Dotnet("publish", project, "-c", "Release", "-o", output, "--nologo", "-v", "quiet");
        var executable = System.IO.Path.Combine(output, "lxc-snap");
        if (!File.Exists(executable))
            throw new FileNotFoundException("dotnet publish did not produce an executable named lxc-snap", executable);
        return executable;
    }

    public static string RepositoryRoot()
    {
        for (var directory = AppContext.BaseDirectory; directory is not null; directory = System.IO.Path.GetDirectoryName(directory))
        {
            if (File.Exists(System.IO.Path.Combine(directory, "LxcSnap.Tasks.sln")))
                return directory;
        }
        throw new DirectoryNotFoundException("LxcSnap.Tasks.sln not found above " + AppContext.BaseDirectory);
    }
}
