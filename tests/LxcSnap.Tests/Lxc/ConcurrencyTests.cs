using System.Diagnostics;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>Several lxc-snap processes on one store at once: distinct numbers, every snapshot whole.</summary>
[Trait("Category", "Lxc")]
public sealed class ConcurrencyTests : IDisposable
{
    private const int Processes = 5;
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    [Fact]
    public void Processes_snapshotting_one_container_at_once_get_distinct_versions_and_valid_snapshots()
    {
        _sandbox.CreateBusybox("base");
        var app = _sandbox.CloneOverlay("base", "app");
        LxcSandbox.WriteFile(app, "/etc/app.conf", "shared");

        var processes = Enumerable.Range(0, Processes)
            .Select(_ => Shell.Start(PublishedCli.Path, _sandbox.Cli("app")))
            .ToList();
        var results = processes.Select(Finish).ToList();

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var expected = Enumerable.Range(0, Processes).Select(n => $"app_{n}").ToList();
        Assert.Equal(expected, LxcSandbox.ListedByLxc(_sandbox.StorePath));
        var listed = _sandbox.Engine().Store.Snapshots("app");
        Assert.Equal(Enumerable.Range(0, Processes), listed.Select(s => s.Name.Version));
        Assert.All(listed, snapshot =>
        {
            Assert.NotNull(snapshot.Time);
            Assert.Equal("shared", LxcSandbox.ReadFile(snapshot.Location, "/etc/app.conf"));
        });
    }

    [Fact]
    public void Processes_snapshotting_different_containers_into_one_store_do_not_collide()
    {
        var names = Enumerable.Range(0, 3).Select(n => $"web{n}").ToList();
        names.ForEach(name => _sandbox.CreateBusybox(name));

        var processes = names.SelectMany(name => new[] { name, name })
            .Select(name => Shell.Start(PublishedCli.Path, _sandbox.Cli(name)))
            .ToList();
        var results = processes.Select(Finish).ToList();

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Equal(names, _sandbox.Engine().Store.Containers());
        Assert.Equal(names.SelectMany(n => new[] { $"{n}_0", $"{n}_1" }), LxcSandbox.ListedByLxc(_sandbox.StorePath));
    }

    private static ProcessResult Finish(Process process)
    {
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var result = new ProcessResult(process.ExitCode, stdout, stderr);
        process.Dispose();
        return result;
    }

    public void Dispose() => _sandbox.Dispose();
}
