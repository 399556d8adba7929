using System.Diagnostics;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core.Containers;

/// <summary>Stopping and starting a container around a restore.</summary>
internal static class ContainerLifecycle
{
    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(60);

    public static bool IsRunning(ContainerRef container)
    {
        using var lxc = LxcContainer.Open(container);
        return lxc.IsDefined && lxc.IsRunning;
    }

    /// <summary>Stops the container at once (its state is about to be replaced) and waits until it is down.</summary>
    public static void Stop(ContainerRef container)
    {
        using var lxc = LxcContainer.Open(container);
        if (!lxc.IsRunning)
            return;
        lxc.Stop();
        if (!lxc.WaitFor("STOPPED", StateTimeout))
            throw new LxcSnapException(LxcSnapError.LxcFailed, $"{container} did not stop within {StateTimeout.TotalSeconds:0} s.");
    }

    /// <summary>
    /// Starts the container with LXC's own lxc-start. liblxc's start() would fork this process into
    /// the container's long-lived monitor: a copy of the .NET runtime living as long as the
    /// container. lxc-start is a small C program made for exactly that, so it is the one LXC
    /// tool lxc-snap runs instead of calling the API.
    /// </summary>
    public static void Start(ContainerRef container)
    {
        var start = new ProcessStartInfo("lxc-start")
        {
            ArgumentList = { "-P", container.LxcPath, "-n", container.Name },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)
            ?? throw new LxcSnapException(LxcSnapError.LxcFailed, "could not run lxc-start: install the lxc package.");
        var stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new LxcSnapException(LxcSnapError.LxcFailed, $"lxc-start could not start {container}: {stderr.Trim()}");
        using var lxc = LxcContainer.Open(container);
        if (!lxc.WaitFor("RUNNING", StateTimeout))
            throw new LxcSnapException(LxcSnapError.LxcFailed, $"{container} did not reach RUNNING within {StateTimeout.TotalSeconds:0} s.");
    }
}
