using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.FaultInjection;

/// <summary>
/// One lxc-snap operation a fault may cut off: how the world is prepared, what may be true right
/// after the fault (beside <see cref="FaultWorld.CheckInvariants"/>), and how running it again
/// finishes the job (after which <see cref="FaultWorld.CheckSettled"/> must hold).
/// </summary>
public sealed class FaultScenario
{
    private FaultScenario(string name, Func<FaultWorld, string[]> prepare, Action<FaultWorld, string> checkInterrupted, Action<FaultWorld, string[], string> redo)
    {
        Name = name;
        _prepare = prepare;
        _checkInterrupted = checkInterrupted;
        _redo = redo;
    }

    private readonly Func<FaultWorld, string[]> _prepare;
    private readonly Action<FaultWorld, string> _checkInterrupted;
    private readonly Action<FaultWorld, string[], string> _redo;

    public string Name { get; }

    public override string ToString() => Name;

    /// <summary>Sets the world up and returns the operation's arguments.</summary>
    public string[] Prepare(FaultWorld world) => _prepare(world);

    public void CheckInterrupted(FaultWorld world, string context)
    {
        // The scenario's own check first: for --allow-running it waits (bounded) for the watcher,
        // which thaws the container only once it sees lxc-snap gone, milliseconds after the kill.
        _checkInterrupted(world, context);
        world.CheckInvariants(context);
    }

    /// <summary>Runs the operation again, as a user would after the fault, and checks that the world settled.</summary>
    public void Redo(FaultWorld world, string[] operation, string context)
    {
        _redo(world, operation, context);
        world.CheckSettled(context);
    }

    public static readonly FaultScenario SnapshotOverlay = new("snapshot of an overlay container",
        world =>
        {
            world.ExpectSnapshotsOf("ov");
            Succeed(world, ["ov"], "preparing");
            return ["ov"];
        },
        (world, context) => Assert.Contains("ov_0", world.Listed()),
        (world, operation, context) =>
        {
            Succeed(world, operation, context);
            Assert.Contains("ov_0", world.Listed());
        });

    public static readonly FaultScenario SnapshotDir = new("snapshot of a dir container",
        world =>
        {
            world.ExpectSnapshotsOf("big");
            return ["big"];
        },
        (world, context) => { },
        (world, operation, context) => Succeed(world, operation, context));

    public static readonly FaultScenario RestoreAsNew = new("restore as a new container",
        world =>
        {
            world.ExpectSnapshotsOf("ov");
            Succeed(world, ["ov"], "preparing");
            return ["-r", "ov_0", "copy"];
        },
        (world, context) => CheckAbsentOrEqual(world, "copy", world.Sandbox.Snapshot("ov_0"), context),
        (world, operation, context) =>
        {
            var existed = File.Exists(world.Sandbox.Container("copy").ConfigFile);
            var result = PublishedCli.Run(world.Cli(operation));
            if (existed)
                Assert.True(result.ExitCode == 1 && result.Stderr.Contains("already exists", StringComparison.Ordinal), $"{context}: {result}");
            else
                Assert.True(result.ExitCode == 0, $"{context}: {result}");
            CheckEqual(world, "copy", FaultWorld.ContentOf(world.Sandbox.Snapshot("ov_0")), context);
        });

    public static readonly FaultScenario RestoreReplacing = new("restore replacing the container (--force)",
        world =>
        {
            world.ExpectSnapshotsOf("ov");
            Succeed(world, ["ov"], "preparing");
            var ov = world.Sandbox.Container("ov");
            LxcSandbox.WriteFile(ov, "/srv/after-the-snapshot", "changed since ov_0");
            world.Reference(ov, "ov-changed");
            return ["-r", "ov_0", "ov", "--force"];
        },
        (world, context) => CheckOneOf(world, "ov", context, ReferencePath(world, "ov-changed"), FaultWorld.ContentOf(world.Sandbox.Snapshot("ov_0"))),
        (world, operation, context) =>
        {
            Succeed(world, operation, context);
            CheckEqual(world, "ov", FaultWorld.ContentOf(world.Sandbox.Snapshot("ov_0")), context);
        });

    public static readonly FaultScenario Destroy = new("destroy (-d)",
        world =>
        {
            world.ExpectSnapshotsOf("big");
            world.ExpectSnapshotsOf("ov");
            Succeed(world, ["big"], "preparing");
            Succeed(world, ["ov"], "preparing");
            return ["-d", "big_0"];
        },
        (world, context) => Assert.Contains("ov_0", world.Listed()),
        (world, operation, context) =>
        {
            // Taken out of sight but not yet deleted, it is finished, and that is a success; killed
            // after it was all gone, there is nothing left to destroy, and it says so.
            var listed = world.Listed().Contains("big_0");
            var halfDestroyed = world.StagesLeft().Count > 0;
            var result = PublishedCli.Run(world.Cli(operation));
            if (listed || halfDestroyed)
                Assert.True(result.ExitCode == 0, $"{context}: {result}");
            else
                Assert.True(result.ExitCode == 1 && result.Stderr.StartsWith("lxc-snap: no snapshot 'big_0'", StringComparison.Ordinal), $"{context}: {result}");
            if (!listed && halfDestroyed)
                Assert.Contains("removed the half-destroyed 'big_0'", result.Stderr);
            Assert.Equal(["ov_0"], world.Listed());
        });

    public static readonly FaultScenario Prune = new("prune",
        world =>
        {
            world.ExpectSnapshotsOf("ov");
            for (var i = 0; i < 3; i++)
                Succeed(world, ["ov"], "preparing");
            return ["prune", "ov", "--keep", "1"];
        },
        (world, context) => Assert.Contains("ov_2", world.Listed()),
        (world, operation, context) =>
        {
            Succeed(world, operation, context);
            Assert.Equal(["ov_2"], world.Listed());
        });

    public static readonly FaultScenario SnapshotRunning = new("snapshot of a running container (--allow-running)",
        world =>
        {
            var ov = world.Sandbox.Container("ov");
            // busybox's init writes to /var as it starts; sleep as init writes nothing, so the
            // running container's content is known.
            File.AppendAllText(ov.ConfigFile, "lxc.init.cmd = /bin/sleep 100000\n");
            LxcSandbox.Start(ov);
            world.ExpectSnapshotsOf("ov");
            return ["--allow-running", "ov"];
        },
        (world, context) =>
        {
            // The watcher thaws it as soon as it sees lxc-snap gone.
            var ov = world.Sandbox.Container("ov");
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (LxcSandbox.State(ov) != "RUNNING" && DateTime.UtcNow < deadline)
                Thread.Sleep(50);
            Assert.True(LxcSandbox.State(ov) == "RUNNING", $"{context}: ov is {LxcSandbox.State(ov)}");
        },
        (world, operation, context) =>
        {
            Succeed(world, operation, context);
            Assert.Equal("RUNNING", LxcSandbox.State(world.Sandbox.Container("ov")));
        });

    public static readonly FaultScenario Run = new("lxc-snap run",
        world =>
        {
            var ov = world.Sandbox.Container("ov");
            var srv = Path.Combine(FaultWorld.ContentOf(ov), "srv");
            var before = world.Reference(ov, "ov-before");
            LxcSandbox.WriteFile(ov, "/srv/provisioned", "done");
            var after = world.Reference(ov, "ov-after");
            File.Delete(Path.Combine(srv, "provisioned"));
            Shell.Check("touch", "-r", Path.Combine(before, "srv"), srv);
            world.ExpectSnapshotsOf("ov", before, after);
            // Provisioning makes the container what the reference holds, directory times included.
            return ["run", "ov", "--", "sh", "-c", "cp -a \"$1/srv/provisioned\" \"$2/provisioned\" && touch -r \"$1/srv\" \"$2\"", "sh", after, srv];
        },
        // Killed mid-provisioning, the container holds whatever the command got to: only the
        // snapshots must be whole, and the transaction open for the way back below.
        (world, context) => { },
        (world, operation, context) =>
        {
            // The user's way back from a killed run: end its transaction as failed, which restores.
            var end = PublishedCli.Run(world.Cli("end", "ov", "--failure"));
            Assert.True(end.ExitCode == 0 || end.Stderr.Contains("has no open provisioning transaction", StringComparison.Ordinal), $"{context}: {end}");
            if (end.ExitCode == 0)
                CheckEqual(world, "ov", ReferencePath(world, "ov-before"), context);
            File.Delete(Path.Combine(FaultWorld.ContentOf(world.Sandbox.Container("ov")), "srv", "provisioned"));
            Succeed(world, operation, context);
            CheckEqual(world, "ov", ReferencePath(world, "ov-after"), context);
        });

    public static readonly FaultScenario EndWithFailure = new("end --failure (restore to the before snapshot)",
        world =>
        {
            var ov = world.Sandbox.Container("ov");
            world.Reference(ov, "ov-before");
            Succeed(world, ["begin", "ov"], "preparing");
            LxcSandbox.WriteFile(ov, "/srv/half-provisioned", "broken");
            var failed = world.Reference(ov, "ov-failed");
            world.ExpectSnapshotsOf("ov", ReferencePath(world, "ov-before"), failed);
            return ["end", "ov", "--failure"];
        },
        (world, context) => CheckOneOf(world, "ov", context, ReferencePath(world, "ov-before"), ReferencePath(world, "ov-failed")),
        (world, operation, context) =>
        {
            // Killed after it recorded the rollback, there is nothing left to end.
            var end = PublishedCli.Run(world.Cli(operation));
            Assert.True(end.ExitCode == 0 || end.Stderr.Contains("has no open provisioning transaction", StringComparison.Ordinal), $"{context}: {end}");
            CheckEqual(world, "ov", ReferencePath(world, "ov-before"), context);
        });

    private static string ReferencePath(FaultWorld world, string name) => Path.Combine(world.Sandbox.Root, "references", name);

    private static void Succeed(FaultWorld world, string[] operation, string context)
    {
        var result = PublishedCli.Run(world.Cli(operation));
        Assert.True(result.ExitCode == 0, $"{context}: lxc-snap {string.Join(' ', operation)}: {result}");
    }

    private static void CheckAbsentOrEqual(FaultWorld world, string name, Core.Containers.ContainerRef expected, string context)
    {
        var container = world.Sandbox.Container(name);
        if (!LxcSandbox.ListedByLxc(world.LxcPath).Contains(name))
        {
            Assert.False(Directory.Exists(container.Directory), $"{context}: {container.Directory} exists but is no container");
            return;
        }
        CheckEqual(world, name, FaultWorld.ContentOf(expected), context);
    }

    private static void CheckEqual(FaultWorld world, string name, string expected, string context) =>
        CheckOneOf(world, name, context, expected);

    private static void CheckOneOf(FaultWorld world, string name, string context, params string[] candidates)
    {
        var (match, differences) = FaultWorld.Matching(FaultWorld.ContentOf(world.Sandbox.Container(name)), candidates);
        Assert.True(match >= 0, $"{context}: container {name} is none of what it may be:\n{differences}");
    }
}
