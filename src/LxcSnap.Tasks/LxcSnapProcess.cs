using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace LxcSnap.Tasks;

/// <summary>What one run of lxc-snap --json returned.</summary>
/// <param name="Json">The JSON lxc-snap printed last on stdout (a result, or an error object), if any.</param>
internal sealed record LxcSnapOutcome(int ExitCode, JsonElement? Json, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The <c>kind</c> of a failure's JSON error object.</summary>
    public string? ErrorKind => Json is { } json && json.TryGetProperty("error", out var error) ? error.GetProperty("kind").GetString() : null;

    public string ErrorMessage => Json is { } json && json.TryGetProperty("error", out var error)
        ? error.GetProperty("message").GetString() ?? Stderr.Trim()
        : Stderr.Trim().Length > 0 ? Stderr.Trim() : $"lxc-snap exited with code {ExitCode}";
}

/// <summary>
/// Runs lxc-snap in its own process. liblxc forks inside its caller and can crash it; here that
/// caller is a short-lived lxc-snap process, never the long-lived MSBuild node.
/// </summary>
internal static partial class LxcSnapProcess
{
    private const int SigTerm = 15;
    private const string SetSid = "/usr/bin/setsid";

    /// <param name="cliPath">lxc-snap.dll (run with the dotnet that runs MSBuild) or an lxc-snap executable.</param>
    /// <param name="cancellation">Asks lxc-snap to stop with SIGTERM: it then finishes or undoes what it does (a frozen container is thawed, a half-made copy removed).</param>
    public static LxcSnapOutcome Run(string cliPath, IEnumerable<string> arguments, Action<string> logLine, CancellationToken cancellation)
    {
        if (!File.Exists(cliPath))
            throw new LxcSnapProcessException($"lxc-snap not found at '{cliPath}'. Set LxcSnapCliPath to an lxc-snap executable or lxc-snap.dll.");

        // In a session of its own, a Ctrl+C in the terminal reaches MSBuild but not lxc-snap (nor
        // the rsync liblxc starts): MSBuild cancels the task, which asks lxc-snap to stop where
        // that is safe, and a restore is never cut off half-way.
        var start = new ProcessStartInfo(File.Exists(SetSid) ? SetSid : "env");
        if (cliPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(DotnetHost());
            start.ArgumentList.Add("exec");
        }
        start.ArgumentList.Add(cliPath);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--json");
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("no process was started");
        }
        catch (Win32Exception e)
        {
            throw new LxcSnapProcessException($"cannot run lxc-snap ({cliPath}): {e.Message}. Set LxcSnapCliPath to an lxc-snap executable or lxc-snap.dll.");
        }

        using (process)
        // A failed kill means lxc-snap has already exited: nothing left to stop.
        using (cancellation.Register(() => _ = kill(process.Id, SigTerm)))
        {
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = new System.Text.StringBuilder();
            process.ErrorDataReceived += (_, line) =>
            {
                if (line.Data is null)
                    return;
                lock (stderr)
                    stderr.AppendLine(line.Data);
                logLine(line.Data);
            };
            process.BeginErrorReadLine();
            process.WaitForExit();
            return new LxcSnapOutcome(process.ExitCode, LastJsonObject(stdout.Result), stderr.ToString());
        }
    }

    /// <summary>The dotnet executable running this build (MSBuild sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static JsonElement? LastJsonObject(string stdout)
    {
        var start = stdout.LastIndexOf("\n{", StringComparison.Ordinal) + 1;
        try
        {
            return stdout.Trim().Length == 0 ? null : JsonDocument.Parse(stdout[start..]).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LibraryImport("libc.so.6")]
    private static partial int kill(int pid, int signal);
}

/// <summary>lxc-snap could not be run at all.</summary>
internal sealed class LxcSnapProcessException(string message) : Exception(message);
