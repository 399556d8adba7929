using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Action;

/// <summary>
/// The action's program as `dotnet publish action/LxcSnap.Action` makes it, published once per
/// test run, and the entrypoint scripts the image installs (action/entrypoint), which find it on PATH.
/// </summary>
public static class PublishedAction
{
    private static readonly Lazy<string> Directory = new(Publish);

    /// <summary>The directory holding the lxcsnap-action executable: put it first on PATH.</summary>
    public static string BinDirectory => Directory.Value;

    /// <summary>Where action.yml's entrypoint paths (in the image, /usr/local/bin/...) are in this repository.</summary>
    public static string EntrypointScript(string pathInImage) =>
        Path.Combine(PublishedCli.RepositoryRoot(), "action", "entrypoint", Path.GetFileName(pathInImage));

    private static string Publish()
    {
        var output = Path.Combine(AppContext.BaseDirectory, "published-action");
        var project = Path.Combine(PublishedCli.RepositoryRoot(), "action", "LxcSnap.Action");
        lock (RepositoryBuild.Lock)
            Shell.Dotnet("publish", project, "-c", "Release", "-o", output, "--nologo", "-v", "quiet");
        if (!File.Exists(Path.Combine(output, "lxcsnap-action")))
            throw new FileNotFoundException("dotnet publish did not produce an executable named lxcsnap-action", output);
        return output;
    }
}
