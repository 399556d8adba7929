using System.Diagnostics;

namespace LxcSnap.Action.Host;

/// <summary>
/// Runs in the privileged sibling container (host PID namespace): copies this program onto the
/// host and starts it there with nsenter inside all of the host's namespaces, so that liblxc sees
/// the host's lxcpath, store, locks and monitor sockets, and a container restarted after a
/// restore belongs to the host, not to a short-lived container. Output passes straight through.
/// The namespaces entered are kthreadd's (PID 2), which are the host's initial ones, the same
/// reference <see cref="HostView"/> checks against; some hosts forbid even root to open PID 1's.
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
    private static readonly string Target = HostView.KernelThreadDaemon.ToString(System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string HostRootFromHostPidNamespace = $"/proc/{Target}/root";

    public static int Run(TextWriter stderr)
    {
        var self = Environment.ProcessPath
            ?? throw new InvalidOperationException("cannot tell which file this program runs from.");
        if (!HostView.IsKernelThreadDaemon(HostView.KernelThreadDaemon))
        {
            stderr.WriteLine("lxcsnap-action: host state not visible: this sibling container is not in the host's PID namespace (PID 2 is not kthreadd). " +
                             "Its Docker engine must run on the LXC host and honour --pid host.");
            return 1;
        }
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
        foreach (var argument in new[] { "--target", Target, "--mount", "--uts", "--ipc", "--net", "--pid", "--cgroup", "--", onHost, "host-agent" })
            start.ArgumentList.Add(argument);
        using var agent = Process.Start(start)!;
        agent.WaitForExit();
        return agent.ExitCode;
    }

    private static string CopyOntoHost(string self)
    {
        var hash = ContentHash(self);
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

    /// <summary>
    /// FNV-1a over the file: enough to tell versions apart, and unlike SHA-256 it needs no
    /// OpenSSL, which the slim image does not carry.
    /// </summary>
    private static string ContentHash(string path)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in File.ReadAllBytes(path))
            hash = (hash ^ b) * 1099511628211UL;
        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }
}
