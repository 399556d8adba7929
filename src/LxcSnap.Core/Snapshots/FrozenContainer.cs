using System.Diagnostics;
using LxcSnap.Core.Containers;
using LxcSnap.Core.Interop;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Snapshots;

/// <summary>
/// Keeps a running container frozen for the length of a copy, and makes sure it is thawed again
/// whatever happens to this process. A frozen container left behind hangs everything inside it
/// for good (lxc-attach waits forever), so there are three lines of defence:
/// 1. in-process, the thaw runs in <see cref="Dispose"/>: exceptions, Ctrl+C, SIGTERM;
/// 2. against kill -9: a watcher started before the freeze, in a session of its own (so a kill
///    of our process group spares it), waits on a pipe whose write end only we hold; the kernel
///    closes it when we die, and unless we wrote "thawed" first the watcher runs lxc-unfreeze;
/// 3. should the watcher die too (its session killed, the machine reset): a record
///    <c>LXCPATH/.lxcsnap/frozen/NAME</c>, written before the freeze and removed after the thaw,
///    tells the next lxc-snap run to thaw it (<see cref="ThawAbandoned"/>).
///
/// liblxc's freeze (with the v1 freezer) first tells the container's monitor "FREEZING", then
/// writes the freezer, then tells it the outcome. Killed between the first two steps, the
/// container runs but LXC reports it FREEZING for good, and lxc-unfreeze sees nothing to thaw
/// (measured here: 2 of 60 kills at random instants of a 90 ms run). A freeze and a
/// thaw of our own then put LXC's state right; both thaws above end that way when needed.
/// </summary>
internal sealed class FrozenContainer : IDisposable
{
    private const string Thawed = "thawed";

    private const string Ready = "ready";

    // $1 lxcpath, $2 name, $3 record, $4 the container's lock file. "ready" once it runs in its own
    // session (setsid has run); after that, output goes nowhere: the terminal may be long gone when
    // it thaws. It thaws holding the container's lock, so that it never thaws (or freezes and thaws)
    // a container another lxc-snap, started since, has frozen for its copy.
    private const string WatcherScript =
        "echo " + Ready + "; exec >/dev/null 2>&1; IFS= read -r said; [ \"$said\" = " + Thawed + " ] && exit 0; " +
        "exec 9>>\"$4\"; flock 9; " +
        "lxc-unfreeze -P \"$1\" -n \"$2\"; " +
        "[ \"$(lxc-info -P \"$1\" -n \"$2\" -s -H)\" = " + StuckFreezing + " ] && lxc-freeze -P \"$1\" -n \"$2\" && lxc-unfreeze -P \"$1\" -n \"$2\"; " +
        "rm -f \"$3\"";

    /// <summary>What LXC reports for a container whose freeze was cut off before the freezer was written (see above).</summary>
    private const string StuckFreezing = "FREEZING";

    /// <summary>How long to wait for the watcher to start: a shell starts in milliseconds; without it the record alone covers a kill.</summary>
    private static readonly TimeSpan WatcherStart = TimeSpan.FromSeconds(5);

    private readonly LxcContainer _container;
    private readonly string _record;
    private readonly Process? _watcher;

    private FrozenContainer(LxcContainer container, string record, Process? watcher)
    {
        _container = container;
        _record = record;
        _watcher = watcher;
    }

    /// <summary>Freezes <paramref name="container"/>, which runs; the caller disposes the result to thaw it.</summary>
    public static FrozenContainer Freeze(LxcContainer container)
    {
        var record = RecordOf(container.Ref);
        LxcSnapDirectory.Create(Path.GetDirectoryName(record)!);
        DurableFile.WriteAllText(record, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        var watcher = StartWatcher(container.Ref, record);
        try
        {
            CrashPoints.Reach("freeze.watched");
            container.Freeze();
            CrashPoints.Reach("freeze.frozen");
        }
        catch
        {
            new FrozenContainer(container, record, watcher).Dispose();
            throw;
        }
        return new FrozenContainer(container, record, watcher);
    }

    /// <summary>Thaws the container; when that fails, the watcher tries too, and the record stays for the next run.</summary>
    public void Dispose()
    {
        var thawed = false;
        try
        {
            _container.Unfreeze();
            thawed = true;
        }
        finally
        {
            StopWatcher(thawed);
            if (thawed)
                File.Delete(_record);
        }
    }

    /// <summary>
    /// Thaws the containers of <paramref name="lxcPath"/> that an lxc-snap killed mid-copy left
    /// frozen (a record whose container nobody holds locked), and says so.
    /// </summary>
    public static IReadOnlyList<string> ThawAbandoned(string lxcPath)
    {
        var directory = LxcSnapDirectory.Frozen(lxcPath);
        if (!PathAccess.Exists(directory))
            return [];
        var notes = new List<string>();
        foreach (var record in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(record);
            if (ContainerName.Problem(name) is not null)
                continue;
            var container = new ContainerRef(lxcPath, name);
            using var unused = ContainerLocks.TryAcquire(container);
            if (unused is null)
                continue; // the lxc-snap that froze it is still at work
            if (container.ConfigExists)
            {
                using var lxc = LxcContainer.Open(container);
                if (lxc.IsDefined && lxc.State is "FROZEN" or StuckFreezing)
                {
                    if (lxc.State == StuckFreezing)
                        lxc.Freeze();
                    lxc.Unfreeze();
                    notes.Add($"thawed {container}, which an interrupted lxc-snap had left frozen");
                }
            }
            File.Delete(record);
        }
        return notes;
    }

    private static string RecordOf(ContainerRef container) => Path.Combine(LxcSnapDirectory.Frozen(container.LxcPath), container.Name);

    private static Process? StartWatcher(ContainerRef container, string record)
    {
        var start = new ProcessStartInfo(File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "setsid")
        {
            ArgumentList = { "/bin/sh", "-c", WatcherScript, "lxc-snap-thaw-watcher", container.LxcPath, container.Name, record, ContainerLocks.PathOf(container) },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process? watcher;
        try
        {
            watcher = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no setsid or sh: the record alone lets the next run thaw it
        }
        // Until it says so, the watcher may still be in our process group, where a kill of the
        // group would take it along: freeze only once it is out.
        var said = watcher?.StandardOutput.ReadLineAsync();
        if (said is not null && said.Wait(WatcherStart) && said.Result == Ready)
            return watcher;
        watcher?.Kill();
        watcher?.Dispose();
        return null;
    }

    private void StopWatcher(bool thawed)
    {
        if (_watcher is null)
            return;
        try
        {
            if (thawed)
                _watcher.StandardInput.WriteLine(Thawed);
            _watcher.StandardInput.Close();
        }
        catch (IOException)
        {
            // The watcher is gone already; the record covers what it would have done.
        }
        _watcher.Dispose();
    }
}
