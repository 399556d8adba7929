namespace LxcSnap.Action.Host;

/// <summary>
/// Whether this process sees the host's true container state: LXC keeps a running container's
/// monitor socket in the host's network namespace and its locks, lxcpath and store in the host's
/// mount namespace, so from any other namespace every container looks stopped and a restore
/// could overwrite a live root filesystem.
/// </summary>
/// <remarks>
/// The reference is the kernel thread kthreadd (PID 2, parent 0): kernel threads live in the
/// initial namespaces, and a process sees one only from the initial PID namespace. Inside an
/// ordinary container PID 1 is the container's own init, so "same namespaces as PID 1" proves
/// nothing there; and some hosts forbid reading PID 1's namespaces even to root.
/// </remarks>
internal static class HostView
{
    /// <summary>kthreadd's PID in the host's PID namespace: the process whose namespaces are the host's.</summary>
    public const int KernelThreadDaemon = 2;
    private static readonly string[] Namespaces = ["pid", "mnt", "net"];

    /// <summary>Null when this process is in the host's namespaces, else why not.</summary>
    public static string? WhyNotVisible()
    {
        if (!IsKernelThreadDaemon(KernelThreadDaemon))
            return "this process is not in the host's PID namespace (the kernel's threads are not visible)";
        foreach (var ns in Namespaces)
        {
            var own = NamespaceOf("self", ns);
            var host = NamespaceOf(KernelThreadDaemon.ToString(System.Globalization.CultureInfo.InvariantCulture), ns);
            if (own is null || host is null)
                return $"the {ns} namespaces cannot be compared (/proc/self/ns/{ns}, /proc/{KernelThreadDaemon}/ns/{ns} unreadable)";
            if (own != host)
                return $"this process's {ns} namespace ({own}) is not the host's ({host})";
        }
        return null;
    }

    public static bool IsKernelThreadDaemon(int pid)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            return status.Contains("Name:\tkthreadd") && status.Contains("PPid:\t0");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string? NamespaceOf(string process, string ns)
    {
        try
        {
            return new FileInfo($"/proc/{process}/ns/{ns}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
