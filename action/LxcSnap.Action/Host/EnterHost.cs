using System.Diagnostics;
using System.Security.Cryptography;

namespace LxcSnap.Action.Host;

/// <summary>
/// Runs in the privileged sibling container (host PID namespace): copies this program onto the
/// host and starts it there with nsenter inside all of PID 1's namespaces, so that liblxc sees
/// the host's lxcpath, store, locks and monitor sockets, and a container restarted after a
/// restore belongs to the host, not to a short-lived container. Output passes straight through.
/// </summary>
/// <remarks>
/// The copy runs on the host's own C library and liblxc (LXC must be installed on the host
/// anyway); the image's binary is one self-contained file (NativeAOT) so that it can be copied.
/// It is named by its content hash: a runner that updates the action gets a new file, two jobs
/// running the same version share one.
/// </remarks>
internal static class EnterHost
{
    public const string Command = "enter-host";
    private const string HostDirectory = "/var/lib/lxcsnap-action/bin";
    private const string HostRootFromHostPidNamespace = "/proc/1/root";

    public static int Run(TextWriter stderr)
    {
        var self = Environment.ProcessPath
            ?? throw new InvalidOperationException("cannot tell which file this program runs from.");
        string onHost;
        try
        {
            onHost = CopyOntoHost(self);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"lxcsnap-action: cannot copy itself onto the host under {HostDirectory} through {HostRootFromHostPidNamespace}: {e.Message}. " +
                             "Is the sibling container privileged and in the host's PID namespace?");
            return 1;
        }

        var start = new ProcessStartInfo("nsenter") { UseShellExecute = false };
        foreach (var argument in new[] { "--target", "1", "--mount", "--uts", "--ipc", "--net", "--pid", "--cgroup", "--", onHost, "host-agent" })
            start.ArgumentList.Add(argument);
        using var agent = Process.Start(start)!;
        agent.WaitForExit();
        return agent.ExitCode;
    }

    private static string CopyOntoHost(string self)
    {
        string hash;
        using (var file = File.OpenRead(self))
            hash = Convert.ToHexString(SHA256.HashData(file))[..16].ToLowerInvariant();
        var onHost = $"{HostDirectory}/lxcsnap-action-{hash}";
        var seenFromHere = HostRootFromHostPidNamespace + onHost;
        if (!File.Exists(seenFromHere))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(seenFromHere)!);
            var staged = $"{seenFromHere}.{Environment.ProcessId}.tmp";
            File.Copy(self, staged, overwrite: true);
            File.SetUnixFileMode(staged, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                         UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.Move(staged, seenFromHere, overwrite: true);
        }
        return onHost;
    }
}
