using System.Globalization;

namespace LxcSnap.Core.Interop;

/// <summary>
/// Guards a liblxc call that fork()s inside this process against a deadlock of the child.
///
/// liblxc's clone forks and, in the child, calls setgroups/setresgid. In a multithreaded process
/// glibc then signals every thread it knows of; if another thread was being created at the moment
/// of the fork, the child waits for it forever (seen here: the child blocked in
/// setxid_mark_thread, futex_wait, for as long as we let it; a few times in a thousand clones,
/// under load). C tools are single-threaded and never meet this; a .NET process always has threads.
///
/// While armed, a thread (started before the liblxc call, so no thread is created during it)
/// looks at this process's children every half second. A child that is a fork of this process
/// (same executable: it never exec'd) and has been blocked in futex for
/// <see cref="HungAfter"/> is that deadlock: legitimate work in such a child mounts, copies or
/// waits for a hook, never waits on a futex. The child is killed, so liblxc's call fails cleanly
/// (it removes what it made), and the caller may retry.
/// </summary>
internal sealed class HungForkWatchdog : IDisposable
{
    public static readonly TimeSpan HungAfter = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private const string FutexSyscall = "202"; // x86_64
    private const int SigKill = 9;

    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Dictionary<int, int> _blockedPolls = [];
    private readonly string _ownExecutable = ExecutableOf("self") ?? "";

    private HungForkWatchdog()
    {
        _thread = new Thread(Watch) { IsBackground = true, Name = "lxc-snap fork watchdog" };
        _thread.Start();
    }

    /// <summary>Set when a deadlocked child was killed: the guarded call failed because of it.</summary>
    public bool KilledHungChild { get; private set; }

    public static HungForkWatchdog Arm() => new();

    private void Watch()
    {
        var pollsUntilHung = (int)(HungAfter / Interval);
        while (!_stop.Wait(Interval))
        {
            foreach (var child in Children())
            {
                if (!IsBlockedForkOfThisProcess(child))
                {
                    _blockedPolls.Remove(child);
                    continue;
                }
                _blockedPolls[child] = _blockedPolls.GetValueOrDefault(child) + 1;
                if (_blockedPolls[child] >= pollsUntilHung && LibcNative.kill(child, SigKill) == 0)
                    KilledHungChild = true;
            }
        }
    }

    private bool IsBlockedForkOfThisProcess(int pid) =>
        ExecutableOf(pid.ToString(CultureInfo.InvariantCulture)) == _ownExecutable
        && ReadProc($"/proc/{pid}/syscall")?.Split(' ')[0] == FutexSyscall;

    private static List<int> Children()
    {
        var children = new List<int>();
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            foreach (var pid in (ReadProc(Path.Combine(task, "children")) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                children.Add(int.Parse(pid, CultureInfo.InvariantCulture));
        }
        return children;
    }

    private static string? ExecutableOf(string pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/exe").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadProc(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }
}
