using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.MSBuild;

/// <summary>
/// The packed LxcSnap.Tasks package consumed from a local folder feed by a generated project and
/// built with `dotnet build` against real LXC, as in the README's example.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class PackageTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    private string Consumer(string container) => PackedTasks.WriteGuardedProject(Path.Combine(_sandbox.Root, "project"), container, _sandbox.LxcPath, """
          <Target Name="PrepareProvisioning">
            <Error Condition="'$(FailDependency)' == 'true'" Text="a target provisioning depends on failed" />
          </Target>
          <Target Name="Provision" DependsOnTargets="PrepareProvisioning">
            <WriteLinesToFile File="$(LxcSnapLxcPath)/$(LxcSnapContainer)/rootfs/etc/provisioned" Lines="by msbuild" Overwrite="true" />
            <Error Condition="'$(FailProvisioning)' == 'true'" Text="provisioning failed" />
          </Target>
        """);

    private string Packages => Path.Combine(_sandbox.Root, "packages");

    [Fact]
    public void A_successful_build_takes_a_before_and_an_after_snapshot_with_provisionings_change()
    {
        var web = _sandbox.CreateBusybox("web");

        var build = PackedTasks.Build(Consumer("web"), Packages);

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("LxcSnap: provisioning 'provision' of web succeeded: after snapshot web_1", build.Stdout);
        Assert.Equal(["web_0", "web_1"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        Assert.Null(LxcSandbox.ReadFile(_sandbox.Snapshot("web_0"), "/etc/provisioned"));
        Assert.Equal("by msbuild\n", LxcSandbox.ReadFile(_sandbox.Snapshot("web_1"), "/etc/provisioned"));
    }

    [Theory]
    [InlineData("FailProvisioning=true", "provisioning failed")]
    [InlineData("FailDependency=true", "a target provisioning depends on failed")]
    public void A_failing_build_reports_LXS009_and_restores_the_container(string property, string targetError)
    {
        var web = _sandbox.CreateBusybox("web");
        LxcSandbox.WriteFile(web, "/etc/provisioned", "the state before this build\n");

        var build = PackedTasks.Build(Consumer("web"), Packages, property);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains($"error : {targetError}", build.Stdout);
        Assert.Contains("error LXS009: provisioning (Provision) failed: container 'web' was restored to its snapshot web_0.", build.Stdout);
        Assert.Equal("the state before this build\n", LxcSandbox.ReadFile(web, "/etc/provisioned"));
    }

    [Fact]
    public void LxcSnapKeep_prunes_to_the_newest_after_each_successful_build_and_a_bad_value_takes_no_snapshot()
    {
        _sandbox.CreateBusybox("web");

        var bad = PackedTasks.Build(Consumer("web"), Packages, "LxcSnapKeep=0");
        var builds = Enumerable.Range(0, 3).Select(_ => PackedTasks.Build(Consumer("web"), Packages, "LxcSnapKeep=2")).ToList();

        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("error LXS001: LxcSnapKeep is '0': set it to the number of snapshots of the container to keep after provisioning, 1 or more", bad.Stdout);
        Assert.All(builds, build => Assert.True(build.ExitCode == 0, build.ToString()));
        Assert.DoesNotContain("pruned", builds[0].Stdout);
        Assert.Contains("LxcSnap: pruned web_0, web_1 of web, keeping the newest 2 (LxcSnapKeep)", builds[1].Stdout);
        Assert.Contains("LxcSnap: pruned web_2, web_3 of web, keeping the newest 2 (LxcSnapKeep)", builds[2].Stdout);
        Assert.Equal(["web_4", "web_5"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    [Fact]
    public void An_unknown_container_fails_with_LXS002_and_makes_nothing()
    {
        _sandbox.CreateBusybox("web");

        var build = PackedTasks.Build(Consumer("nothere"), Packages);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error LXS002: no container 'nothere'", build.Stdout);
        Assert.DoesNotContain(_sandbox.Container("web").Directory, build.Stdout);
        Assert.False(Directory.Exists(_sandbox.StorePath));
    }

    public void Dispose() => _sandbox.Dispose();
}
