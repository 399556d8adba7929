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

    [Fact]
    public void Provenance_of_a_build_in_GitHub_Actions_names_the_task_the_project_its_targets_and_the_run()
    {
        _sandbox.CreateBusybox("web");
        var project = Consumer("web");
        var run = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_RUN_ID"] = "77", ["GITHUB_RUN_ATTEMPT"] = "1",
            ["GITHUB_REPOSITORY"] = "octo/web", ["GITHUB_SERVER_URL"] = "https://github.com",
        };

        var build = PackedTasks.Build(project, Packages, run);

        Assert.True(build.ExitCode == 0, build.ToString());
        var madeBy = $"Made by: msbuild begin (LxcGuardedProvisioning task, project {project}, targets Provision), {ThisMachine.UserAtHost}, " +
                     "GitHub Actions run https://github.com/octo/web/actions/runs/77/attempts/1";
        Assert.Equal([madeBy, madeBy.Replace("msbuild begin", "msbuild end", StringComparison.Ordinal)],
            PublishedCli.Run(_sandbox.Cli("-l", "web")).Stdout.Split('\n').Where(l => l.StartsWith("Made by: ", StringComparison.Ordinal)));
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

    /// <summary>A project whose provisioning copies site/index.html into the container, declared as its input.</summary>
    private string IncrementalConsumer(string siteContent)
    {
        var directory = Path.Combine(_sandbox.Root, "project");
        Directory.CreateDirectory(Path.Combine(directory, "site"));
        File.WriteAllText(Path.Combine(directory, "site", "index.html"), siteContent);
        return PackedTasks.WriteGuardedProject(directory, "web", _sandbox.LxcPath, """
              <ItemGroup>
                <LxcSnapProvisioningInputs Include="site/index.html" />
              </ItemGroup>
              <Target Name="Provision">
                <Copy SourceFiles="site/index.html" DestinationFolder="$(LxcSnapLxcPath)/$(LxcSnapContainer)/rootfs/srv/www" />
              </Target>
            """);
    }

    [Fact]
    public void A_rebuild_with_unchanged_inputs_takes_no_snapshot_and_a_changed_input_takes_the_pair()
    {
        var web = _sandbox.CreateBusybox("web");

        var first = PackedTasks.Build(IncrementalConsumer("<h1>one</h1>"), Packages);
        var unchanged = PackedTasks.Build(IncrementalConsumer("<h1>one</h1>"), Packages);
        var afterUnchanged = LxcSandbox.ListedByLxc(_sandbox.StorePath);
        var changed = PackedTasks.Build(IncrementalConsumer("<h1>two</h1>"), Packages);
        var forced = PackedTasks.Build(IncrementalConsumer("<h1>two</h1>"), Packages, "LxcSnapForce=true");

        Assert.All([first, unchanged, changed, forced], build => Assert.True(build.ExitCode == 0, build.ToString()));
        Assert.Equal(["web_0", "web_1"], afterUnchanged);
        Assert.Contains("LxcSnap: provisioning 'provision' of web is up to date: its LxcSnapProvisioningInputs are unchanged since after snapshot web_1; " +
                        "skipped Provision (LxcSnapForce=true provisions anyway).", unchanged.Stdout);
        Assert.DoesNotContain("before snapshot", unchanged.Stdout);
        Assert.Contains("LxcSnap: provisioning 'provision' of web succeeded: after snapshot web_3", changed.Stdout);
        Assert.Contains("LxcSnap: provisioning 'provision' of web succeeded: after snapshot web_5", forced.Stdout);
        Assert.Equal(["web_0", "web_1", "web_2", "web_3", "web_4", "web_5"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        Assert.Equal("<h1>one</h1>", LxcSandbox.ReadFile(_sandbox.Snapshot("web_1"), "/srv/www/index.html"));
        Assert.Equal("<h1>two</h1>", LxcSandbox.ReadFile(web, "/srv/www/index.html"));
    }

    [Fact]
    public void Without_declared_inputs_every_build_provisions_and_says_how_to_make_it_incremental()
    {
        _sandbox.CreateBusybox("web");

        var builds = Enumerable.Range(0, 2).Select(_ => PackedTasks.Build(Consumer("web"), Packages)).ToList();

        Assert.All(builds, build => Assert.True(build.ExitCode == 0, build.ToString()));
        Assert.All(builds, build => Assert.Contains(
            "LxcSnap: every build provisions web again, with two snapshots: declare the files the provisioning targets read as LxcSnapProvisioningInputs items", build.Stdout));
        Assert.Equal(["web_0", "web_1", "web_2", "web_3"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    [Fact]
    public void A_provisioning_target_the_project_does_not_define_is_refused_before_any_snapshot()
    {
        var web = _sandbox.CreateBusybox("web");
        var container = DirectoryFingerprint.Of(web.Directory);

        var build = PackedTasks.Build(Consumer("web"), Packages, "LxcSnapProvisioningTargets=Provison");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error LXS001: LxcSnapProvisioningTargets names 'Provison', which provision.csproj does not define: did you mean 'Provision'? Nothing was snapshotted.", build.Stdout);
        Assert.DoesNotContain("MSB4057", build.Stdout);
        Assert.False(Directory.Exists(_sandbox.StorePath));
        Assert.Empty(container.Differences(DirectoryFingerprint.Of(web.Directory)));
    }

    [Theory]
    [InlineData("LxcSnapForce=maybe", "LxcSnapForce is 'maybe': set it to true or false.")]
    [InlineData("LxcSnapReplaceOpen=2", "LxcSnapReplaceOpen is '2': set it to true or false.")]
    [InlineData("LxcSnapKeepFailed=sometimes", "LxcSnapKeepFailed is 'sometimes': set it to true or false.")]
    public void A_flag_that_is_neither_true_nor_false_is_refused_by_its_property_name_before_any_snapshot(string property, string message)
    {
        _sandbox.CreateBusybox("web");

        var build = PackedTasks.Build(Consumer("web"), Packages, property);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error LXS001: " + message, build.Stdout);
        Assert.False(Directory.Exists(_sandbox.StorePath));
    }

    [Fact]
    public void LxcSnapReplaceOpen_abandons_another_labels_open_transaction_as_begin_replace_does()
    {
        _sandbox.CreateBusybox("web");
        var begun = PublishedCli.Run(_sandbox.Cli("begin", "web", "--label", "by-hand"));
        Assert.True(begun.ExitCode == 0, begun.ToString());

        var refused = PackedTasks.Build(Consumer("web"), Packages);
        var replacing = PackedTasks.Build(Consumer("web"), Packages, "LxcSnapReplaceOpen=true");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("error LXS008: container 'web' already has an open provisioning transaction 'by-hand'", refused.Stdout);
        Assert.Contains("set LxcSnapReplaceOpen=true", refused.Stdout);
        Assert.True(replacing.ExitCode == 0, replacing.ToString());
        Assert.Equal(["web_0", "web_1", "web_2"], LxcSandbox.ListedByLxc(_sandbox.StorePath));
        var listing = PublishedCli.Run(_sandbox.Cli("-l", "web")).Stdout;
        Assert.Contains("Provisioning 'by-hand': before, abandoned", listing);
        Assert.Contains("Provisioning 'provision': after, succeeded", listing);
    }

    public void Dispose() => _sandbox.Dispose();
}
