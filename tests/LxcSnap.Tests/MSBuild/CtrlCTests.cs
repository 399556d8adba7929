using System.Diagnostics;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.MSBuild;

/// <summary>
/// Ctrl+C typed into a terminal while `dotnet build` runs the provisioning targets, as a person
/// would (tmux gives the build a real terminal; send-keys types the Ctrl+C). MSBuild runs no
/// OnError targets on cancellation, but the guard task still restores the container.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class CtrlCTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();
    private readonly string _tmuxSocket = "lxcsnap-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public void Ctrl_C_during_provisioning_restores_the_container_and_fails_with_LXS013()
    {
        var web = _sandbox.CreateBusybox("web");
        var marker = Path.Combine(LxcSandbox.Layers(web).Writable, "etc", "provisioned");
        var project = PackedTasks.WriteGuardedProject(Path.Combine(_sandbox.Root, "project"), "web", _sandbox.LxcPath, $"""
              <Target Name="Provision">
                <WriteLinesToFile File="{marker}" Lines="half-way" Overwrite="true" />
                <Exec Command="sleep 120" />
              </Target>
            """);
        var log = Path.Combine(_sandbox.Root, "build.log");
        var packages = Path.Combine(_sandbox.Root, "packages");
        // Restore first, so that the build itself reaches provisioning quickly.
        Assert.Equal(0, Shell.Run("dotnet", ["restore", project], new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages }, TimeSpan.FromMinutes(3)).ExitCode);

        Shell.Check("tmux", "-L", _tmuxSocket, "new-session", "-d", "-x", "200", "-y", "50",
            $"NUGET_PACKAGES='{packages}' dotnet build '{project}' --no-restore -nr:false > '{log}' 2>&1; echo exit=$? >> '{log}'; sleep 600");
        WaitUntil(() => File.Exists(marker), "provisioning never started");
        Thread.Sleep(500);

        Shell.Check("tmux", "-L", _tmuxSocket, "send-keys", "C-c");
        WaitUntil(() => File.Exists(log) && File.ReadAllText(log).Contains("exit="), "the build did not end after Ctrl+C");

        var output = File.ReadAllText(log);
        Assert.DoesNotContain("exit=0", output);
        Assert.Contains("error LXS013: provisioning (Provision) was cancelled: container 'web' was restored to its snapshot web_0.", output);
        Assert.False(File.Exists(marker));
        Assert.Contains("Provisioning 'provision': before, rolled back after", PublishedCli.Run(_sandbox.Cli("-l", "web")).Stdout);
    }

    private static void WaitUntil(Func<bool> condition, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), failure);
            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        Shell.Run("tmux", "-L", _tmuxSocket, "kill-server");
        _sandbox.Dispose();
    }
}
