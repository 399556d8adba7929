using LxcSnap.Action.Host;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Action;

/// <summary>
/// The host's directory of lxcsnap-action executables (on a runner host /var/lib/lxcsnap-action/bin),
/// here a temporary one: what is in it before and after an install.
/// </summary>
[Trait("Category", "Unit")]
public sealed class HostExecutableCacheTests : IDisposable
{
    private const string OlderVersion = "lxcsnap-action-0123456789abcdef";

    private readonly string _root = Directory.CreateTempSubdirectory("lxcsnap-action-cache-").FullName;

    private string CacheDirectory => Path.Combine(_root, "bin");

    private string Executable(string name, string content)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string[] Entries() => Sorted([.. Directory.EnumerateFileSystemEntries(CacheDirectory).Select(Path.GetFileName)!]);

    private static string[] Sorted(params string[] names) => [.. names.Order(StringComparer.Ordinal)];

    [Fact]
    public void Installing_a_version_removes_the_other_versions_and_leaves_what_is_not_the_actions()
    {
        Directory.CreateDirectory(CacheDirectory);
        File.WriteAllText(Path.Combine(CacheDirectory, OlderVersion), "an older version");
        File.WriteAllText(Path.Combine(CacheDirectory, OlderVersion + "." + Guid.NewGuid().ToString("N") + ".tmp"), "left by a killed install");
        var precious = Executable("precious", "not the action's");
        File.CreateSymbolicLink(Path.Combine(CacheDirectory, "lxcsnap-action-fedcba9876543210"), precious);
        Directory.CreateDirectory(Path.Combine(CacheDirectory, "lxcsnap-action-aaaaaaaaaaaaaaaa"));
        File.WriteAllText(Path.Combine(CacheDirectory, "lxcsnap-action-notes"), "the host's own file");

        using var installed = new HostExecutableCache(CacheDirectory).Install(Executable("lxcsnap-action", "this version"));

        var current = Path.GetFileName(installed.Path);
        Assert.Matches("^lxcsnap-action-[0-9a-f]{16}$", current);
        Assert.Equal(
            Sorted(current, HostExecutableCache.LockFileName, "lxcsnap-action-aaaaaaaaaaaaaaaa", "lxcsnap-action-fedcba9876543210", "lxcsnap-action-notes"),
            Entries());
        Assert.Equal("this version", File.ReadAllText(installed.Path));
        Assert.Equal("rwxr-xr-x", Shell.Check("stat", "-c", "%A", installed.Path).Trim()[1..]);
        Assert.Equal("not the action's", File.ReadAllText(precious));
    }

    [Fact]
    public void An_older_version_a_job_is_running_stays_until_that_job_is_done()
    {
        var cache = new HostExecutableCache(CacheDirectory);
        var olderJob = cache.Install("/bin/sleep");   // an older version: another executable
        using var running = Shell.Start(olderJob.Path, ["0.5"]);

        using (var newerJob = cache.Install(Executable("newer", "the newer version")))
        {
            running.WaitForExit();
            Assert.Equal(0, running.ExitCode);
            Assert.True(File.Exists(olderJob.Path));
            Assert.Equal("the newer version", File.ReadAllText(newerJob.Path));
        }
        olderJob.Dispose();
        using var nextJob = cache.Install(Executable("newer", "the newer version"));

        Assert.False(File.Exists(olderJob.Path));
        Assert.Equal(Sorted(HostExecutableCache.LockFileName, Path.GetFileName(nextJob.Path)), Entries());
    }

    [Fact]
    public async Task Jobs_installing_one_version_at_once_all_run_one_whole_file()
    {
        var cache = new HostExecutableCache(CacheDirectory);
        var content = string.Concat(Enumerable.Repeat("one version of the executable, ", 200_000));
        var executable = Executable("lxcsnap-action", content);

        var jobs = Enumerable.Range(0, 8).Select(_ => Task.Run(() => cache.Install(executable))).ToArray();
        var installed = await Task.WhenAll(jobs);

        var path = Assert.Single(installed.Select(i => i.Path).Distinct());
        Assert.Equal(content, File.ReadAllText(path));
        Assert.Equal(Sorted(HostExecutableCache.LockFileName, Path.GetFileName(path)), Entries());
        foreach (var job in installed)
            job.Dispose();
    }

    [Fact]
    public void A_symlink_in_place_of_the_current_version_is_replaced_and_its_target_left_alone()
    {
        var cache = new HostExecutableCache(CacheDirectory);
        var executable = Executable("lxcsnap-action", "this version");
        string name;
        using (var first = cache.Install(executable))
            name = Path.GetFileName(first.Path);
        var precious = Executable("precious", "not the action's");
        File.Delete(Path.Combine(CacheDirectory, name));
        File.CreateSymbolicLink(Path.Combine(CacheDirectory, name), precious);

        using var installed = cache.Install(executable);

        Assert.Null(new FileInfo(installed.Path).LinkTarget);
        Assert.Equal("this version", File.ReadAllText(installed.Path));
        Assert.Equal("not the action's", File.ReadAllText(precious));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
