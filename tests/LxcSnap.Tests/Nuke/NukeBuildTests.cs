using System.Diagnostics;
using LxcSnap.Core.Provisioning;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Nuke;

/// <summary>
/// A real NUKE build using the component (nuke/LxcSnap.Nuke) around a provisioning target,
/// against real LXC. Nuke.Common is not served by the package source CI uses, so these run where
/// LXCSNAP_NUKE_FEED names a NuGet feed that has Nuke.Common 10.1.0 (../shared/tools/nuke-local
/// builds one from NUKE's public source) and are skipped, saying why, elsewhere.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class NukeBuildTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    [NukeFact]
    public void A_build_that_succeeds_keeps_an_after_snapshot_with_the_change()
    {
        var web = _sandbox.CreateBusybox("web");

        var build = NukeBuild.Run(_sandbox, "--marker", Marker(web));

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Equal(["web_0", "web_1"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        Assert.Equal("provisioned", LxcSandbox.ReadFile(_sandbox.Snapshot("web_1"), "/provisioned"));
        Assert.Equal(ProvisioningOutcome.Succeeded, Assert.Single(History()).Outcome);
        Assert.Equal([("nuke", "begin", "build Build, target Provision"), ("nuke", "end", "build Build, target Provision")],
            _sandbox.Engine().Store.Snapshots("web").Select(s => (s.Provenance?.Tool, s.Provenance?.Command, s.Provenance?.Detail)));
    }

    [NukeFact]
    public void Lxc_keep_prunes_to_the_newest_after_a_successful_build()
    {
        var web = _sandbox.CreateBusybox("web");

        var first = NukeBuild.Run(_sandbox, "--marker", Marker(web), "--lxc-keep", "2");
        var second = NukeBuild.Run(_sandbox, "--marker", Marker(web), "--lxc-keep", "2");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("snapshots web_2 -> web_3", second.Stdout);
        Assert.Contains("pruned web_0, web_1", second.Stdout);
        Assert.Equal(["web_2", "web_3"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    [NukeFact]
    public void A_build_whose_provisioning_fails_restores_the_container()
    {
        var web = _sandbox.CreateBusybox("web");

        var build = NukeBuild.Run(_sandbox, "--marker", Marker(web), "--fail", "true");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Null(LxcSandbox.ReadFile(web, "/provisioned"));
        Assert.Equal(ProvisioningOutcome.RolledBack, Assert.Single(History()).Outcome);
    }

    [NukeFact]
    public void SIGINT_to_the_build_process_mid_provisioning_restores_the_container_and_records_no_success()
    {
        var web = _sandbox.CreateBusybox("web");

        // How a CI system cancels: SIGINT to the build process alone, not to its process group.
        var build = NukeBuild.Run(_sandbox, ["--marker", Marker(web), "--sleep-seconds", "60"], interruptWhen: () => File.Exists(Marker(web)));

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("the build was cancelled during provisioning: restoring web", build.Stdout);
        Assert.DoesNotContain("Sequence contains more than one matching element", build.Stdout);
        Assert.Null(LxcSandbox.ReadFile(web, "/provisioned"));
        Assert.Equal(["web_0"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        Assert.Equal(ProvisioningOutcome.RolledBack, Assert.Single(History()).Outcome);
    }

    private static string Marker(Core.Containers.ContainerRef container) => Path.Combine(LxcSandbox.Layers(container).Writable, "provisioned");

    private IReadOnlyList<ProvisioningRecord> History() => new ProvisioningTransactions(_sandbox.Engine()).History("web");

    public void Dispose() => _sandbox.Dispose();

    /// <summary>Skipped, saying why, unless LXCSNAP_NUKE_FEED names a feed with Nuke.Common.</summary>
    private sealed class NukeFactAttribute : FactAttribute
    {
        public NukeFactAttribute()
        {
            if (NukeBuild.Feed is null)
                Skip = "Nuke.Common is not served here: set LXCSNAP_NUKE_FEED to a feed that has it (../shared/tools/nuke-local builds one).";
        }
    }

    /// <summary>A NUKE build project written for the test: one provisioning target guarded by the component.</summary>
    private static class NukeBuild
    {
        private const string Source = """
            using LxcSnap.Nuke;
            using Nuke.Common;

            class Build : NukeBuild, ILxcSnapshots
            {
                public static int Main() => Execute<Build>(x => x.Provision);

                [Parameter] readonly string Marker = "";
                [Parameter] readonly int SleepSeconds;
                [Parameter] readonly bool Fail;

                Target Provision => _ => _
                    .DependsOnContext<ILxcSnapshots>()
                    .Executes(() =>
                    {
                        File.WriteAllText(Marker, "provisioned");
                        Thread.Sleep(TimeSpan.FromSeconds(SleepSeconds));
                        if (Fail)
                            throw new InvalidOperationException("provisioning failed");
                    });
            }
            """;

        public static string? Feed { get; } =
            Environment.GetEnvironmentVariable("LXCSNAP_NUKE_FEED") is { Length: > 0 } feed && Directory.Exists(feed) ? feed : null;

        private static readonly Lazy<string> Built = new(Build);

        public static ProcessResult Run(LxcSandbox sandbox, params string[] arguments) => Run(sandbox, arguments, interruptWhen: null);

        public static ProcessResult Run(LxcSandbox sandbox, string[] arguments, Func<bool>? interruptWhen)
        {
            var root = Built.Value;
            using var process = Shell.Start("dotnet", [Path.Combine(root, "build", "bin", "_build.dll"), "--root", root, "--no-logo",
                "--lxc-container", "web", "--lxc-path", sandbox.LxcPath, "--lxc-snapshot-path", sandbox.StorePath, "--lxc-cli", PublishedCli.Path, .. arguments]);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (interruptWhen is not null)
            {
                var deadline = Stopwatch.StartNew();
                while (!interruptWhen() && !process.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(2))
                    Thread.Sleep(50);
                Shell.Check("kill", "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
                process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new ProcessResult(process.ExitCode, WithoutColours(stdout.Result), WithoutColours(stderr.Result));
        }

        private static string WithoutColours(string text) => System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9;]*m", "");

        private static string Build()
        {
            var root = Path.Combine(Path.GetTempPath(), "lxcsnap-tests", $"nuke-build-{Guid.NewGuid():N}"[..20]);
            Directory.CreateDirectory(Path.Combine(root, ".nuke"));
            Directory.CreateDirectory(Path.Combine(root, "build"));
            File.WriteAllText(Path.Combine(root, "build", "Build.cs"), Source);
            var component = Path.Combine(PublishedCli.RepositoryRoot(), "nuke", "LxcSnap.Nuke", "LxcSnap.Nuke.csproj");
            File.WriteAllText(Path.Combine(root, "build", "_build.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <NoWarn>$(NoWarn);NU1603</NoWarn>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                    <OutputPath>bin/</OutputPath>
                    <AppendTargetFrameworkToOutputPath>false</AppendTargetFrameworkToOutputPath>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Nuke.Common" Version="10.1.0" />
                    <ProjectReference Include="{component}" />
                  </ItemGroup>
                </Project>
                """);
            lock (RepositoryBuild.Lock)
            {
                Shell.Dotnet("build", Path.Combine(root, "build", "_build.csproj"), "--nologo", "-v", "quiet",
                    "-p:LxcSnapWithNuke=true", "-p:TargetFrameworks=net10.0", $"-p:RestoreAdditionalProjectSources={Feed}");
            }
            return root;
        }
    }
}
