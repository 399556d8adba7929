using System.Diagnostics;
using LxcSnap.Core;

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
/// <see cref="HostExecutableCache"/> keeps the copies: one per version, only the current one.
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
        InstalledExecutable installed;
        try
        {
            installed = new HostExecutableCache(HostRootFromHostPidNamespace + HostDirectory).Install(self);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LxcSnapException)
        {
            stderr.WriteLine($"lxcsnap-action: cannot copy itself onto the host under {HostDirectory} through {HostRootFromHostPidNamespace}: {e.Message}. " +
                             "Is the sibling container privileged and in the host's PID namespace?");
            return 1;
        }

        // The cache keeps the file until the agent, which runs from it, has exited.
        using (installed)
        {
            var onHost = $"{HostDirectory}/{Path.GetFileName(installed.Path)}";
            var start = new ProcessStartInfo("nsenter") { UseShellExecute = false };
            foreach (var argument in new[] { "--target", Target, "--mount", "--uts", "--ipc", "--net", "--pid", "--cgroup", "--", onHost, "host-agent" })
                start.ArgumentList.Add(argument);
            using var agent = Process.Start(start)!;
            agent.WaitForExit();
            return agent.ExitCode;
        }
    }
}
