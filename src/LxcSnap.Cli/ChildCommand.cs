using System.ComponentModel;
using System.Diagnostics;
using LxcSnap.Core;

namespace LxcSnap.Cli;

/// <summary>
/// Runs the provisioning command of <c>lxc-snap run</c> with the terminal's stdin, stdout and
/// stderr. When lxc-snap is asked to stop (Ctrl+C, SIGTERM) it passes SIGTERM on and waits for the
/// command to end, so that the restore that follows never races with the command.
/// </summary>
internal static class ChildCommand
{
    private const int SigTerm = 15;

    /// <param name="stdoutToStderr">
    /// The command's stdout goes where lxc-snap's stderr goes (run --json: stdout holds only the
    /// JSON). The shell that arranges it execs the command, so it is still the command that runs
    /// and gets the signals, and it writes to the terminal itself, unbuffered.
    /// </param>
    /// <returns>The command's exit code; 128 + the signal when a signal ended it.</returns>
    public static int Run(IReadOnlyList<string> command, IDictionary<string, string> environment, bool stdoutToStderr, CancellationToken stopRequested)
    {
        var start = new ProcessStartInfo(stdoutToStderr ? "/bin/sh" : command[0]) { UseShellExecute = false };
        if (stdoutToStderr)
        {
            foreach (var argument in new[] { "-c", "exec \"$@\" >&2", "lxc-snap run" })
                start.ArgumentList.Add(argument);
            start.ArgumentList.Add(command[0]);
        }
        foreach (var argument in command.Skip(1))
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new LxcSnapException(LxcSnapError.InvalidArgument, $"cannot run '{command[0]}': {e.Message}.");
        }
        using (process)
        using (stopRequested.Register(() => Core.Interop.LibcNative.kill(process.Id, SigTerm)))
        {
            process.WaitForExit();
            return process.ExitCode;
        }
    }
}
