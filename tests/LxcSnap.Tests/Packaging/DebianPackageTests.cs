using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Packaging;

/// <summary>
/// packaging/build-deb.sh as a user runs it: the package builds, apt installs it with its
/// dependency, lxc-snap, its man page and its completions work from where the package put them,
/// and apt removes it all again.
/// </summary>
[Trait("Category", "Package")]
public sealed class DebianPackageTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("lxcsnap-deb-").FullName;

    [PackageFact]
    public void The_package_installs_lxc_snap_its_man_page_and_completions_and_removes_them_again()
    {
        ProcessResult built;
        lock (RepositoryBuild.Lock)
            built = Shell.Run(Path.Combine(PublishedCli.RepositoryRoot(), "packaging", "build-deb.sh"), [_output], null, TimeSpan.FromMinutes(10));
        Assert.True(built.ExitCode == 0, built.ToString());
        var deb = built.Stdout.Trim().Split('\n')[^1];
        // The version lxc-snap itself reports (from the git tags), as Debian orders it, then the build's time and commit.
        var toolVersion = JsonContract.Validated(PublishedCli.Run("--json", "--version").Stdout, "--version --json").GetProperty("version").GetString()!;
        Assert.Matches(@"/lxc-snap_" + System.Text.RegularExpressions.Regex.Escape(toolVersion.Replace('-', '~')) + @"\+\d{14}\.g[0-9a-f]+_amd64\.deb$", deb);
        Assert.StartsWith("liblxc1 ", Shell.Check("dpkg-deb", "--field", deb, "Depends"));

        var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        try
        {
            var install = Shell.Run("apt-get", ["install", "-y", "-q", deb], environment, TimeSpan.FromMinutes(5));
            Assert.True(install.ExitCode == 0, install.ToString());

            var version = Shell.Run("/usr/bin/lxc-snap", "--version");
            Assert.StartsWith($"lxc-snap {toolVersion} (liblxc ", version.Stdout);
            Assert.Equal("/usr/share/man/man1/lxc-snap.1.gz", Shell.Check("man", "-w", "lxc-snap").Trim());
            var page = Shell.Run("man", ["-P", "cat", "lxc-snap"], new Dictionary<string, string> { ["MANWIDTH"] = "100" }, TimeSpan.FromMinutes(1)).Stdout;
            Assert.Contains("lxc-snap - snapshot LXC containers", page);
            Assert.Contains("--logpriority", page);
            Assert.True(File.Exists("/usr/share/zsh/vendor-completions/_lxc-snap"));
            var completion = Shell.Run("bash", "-c",
                "source /usr/share/bash-completion/completions/lxc-snap; COMP_WORDS=(lxc-snap --lxc); COMP_CWORD=1; _lxc_snap; echo \"${COMPREPLY[*]}\"");
            Assert.Equal("--lxcpath", completion.Stdout.Trim());
        }
        finally
        {
            Shell.Run("apt-get", ["remove", "-y", "-q", "lxc-snap"], environment, TimeSpan.FromMinutes(5));
        }
        Assert.False(File.Exists("/usr/bin/lxc-snap"));
        Assert.False(File.Exists("/usr/share/man/man1/lxc-snap.1.gz"));
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);

    /// <summary>Skipped, saying why, where the package is installed already: the test would replace and then remove the user's own.</summary>
    private sealed class PackageFactAttribute : FactAttribute
    {
        public PackageFactAttribute()
        {
            if (Shell.Run("dpkg-query", "-W", "-f=${Status}", "lxc-snap").Stdout.Contains("install ok installed", StringComparison.Ordinal))
                Skip = "the lxc-snap package is installed on this machine: this test installs and removes it, so it leaves yours alone.";
        }
    }
}
