using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using LxcSnap.Core.Interop;
using LxcSnap.Core.Store;

namespace LxcSnap.Core.Client;

/// <summary>What one run of <c>lxc-snap ... --json</c> returned.</summary>
/// <param name="Json">The JSON lxc-snap printed last on stdout (a result, or an error object), if any.</param>
public sealed record LxcSnapOutcome(int ExitCode, JsonElement? Json, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>
    /// The failure as the exception lxc-snap itself threw: its kind, problem and remedies, for the
    /// caller to word in its own terms. Null when it succeeded.
    /// </summary>
    public LxcSnapException? Error()
    {
        if (Succeeded)
            return null;
        if (Json is { } json && json.TryGetProperty("error", out var error))
        {
            var kind = error.TryGetProperty("kind", out var k) ? k.GetString() : null;
            var problem = error.TryGetProperty("problem", out var p) && p.GetString() is { } text ? text : error.GetProperty("message").GetString() ?? "";
            var remedies = error.TryGetProperty("remedies", out var r) ? RemedyJson.Read(r) : [];
            return new LxcSnapException(LxcSnapErrors.FromKind(kind), problem, remedies);
        }
        var said = Stderr.Trim();
        return new LxcSnapException(LxcSnapError.LxcFailed, said.Length > 0 ? said : $"lxc-snap exited with code {ExitCode}");
    }
}

/// <summary>
/// The front-end that runs lxc-snap, told to it through its environment
/// (<see cref="Provenance.MadeByVariable"/>, <see cref="Provenance.MadeByDetailVariable"/>) so
/// that the snapshots it takes record who made them.
/// </summary>
/// <param name="Tool">One of <see cref="Provenance.Tools"/>: <c>msbuild</c>, <c>nuke</c>.</param>
/// <param name="Detail">What the front-end says of itself: the task, project and targets; the build and target.</param>
public sealed record LxcSnapCaller(string Tool, string? Detail);

/// <summary>lxc-snap could not be run at all (not found, not executable).</summary>
public sealed class LxcSnapProcessException(string message) : Exception(message);

/// <summary>
/// Runs lxc-snap as a process of its own. liblxc forks inside its caller, and a fork of a
/// long-lived multithreaded host (an MSBuild node, a NUKE build) can deadlock in the child or
/// take the host down with it; the caller here is a short-lived lxc-snap, and the host only
/// reads its JSON.
/// </summary>
public static class LxcSnapProcess
{
    private const int SigTerm = 15;
    private const string SetSid = "/usr/bin/setsid";

    /// <param name="cliPath">lxc-snap.dll (run with the dotnet that runs the host) or an lxc-snap executable.</param>
    /// <param name="logLine">Receives lxc-snap's notes (stderr) as they come.</param>
    /// <param name="cancellation">Asks lxc-snap to stop with SIGTERM: it then finishes or undoes what it does (a frozen container is thawed, a half-made copy removed).</param>
    /// <param name="caller">Who runs it, recorded in the snapshots it takes; null: lxc-snap itself.</param>
    public static LxcSnapOutcome Run(string cliPath, IEnumerable<string> arguments, Action<string> logLine, CancellationToken cancellation,
        LxcSnapCaller? caller = null)
    {
        if (!File.Exists(cliPath))
            throw new LxcSnapProcessException($"lxc-snap not found at '{cliPath}'.");

        // In a session of its own, a Ctrl+C in the terminal reaches the host but not lxc-snap (nor
        // the rsync liblxc starts): the host cancels, which asks lxc-snap to stop where that is
        // safe, and a restore is never cut off half-way.
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
        // Set or removed, never inherited: a host run by another names itself, not its parent.
        foreach (var (variable, value) in new[] { (Provenance.MadeByVariable, caller?.Tool), (Provenance.MadeByDetailVariable, caller?.Detail) })
        {
            if (value is null)
                start.Environment.Remove(variable);
            else
                start.Environment[variable] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("no process was started");
        }
        catch (Win32Exception e)
        {
            throw new LxcSnapProcessException($"cannot run lxc-snap ({cliPath}): {e.Message}.");
        }

        using (process)
        // A failed kill means lxc-snap has already exited: nothing left to stop.
        using (cancellation.Register(() => _ = LibcNative.kill(process.Id, SigTerm)))
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
            return new LxcSnapOutcome(process.ExitCode, JsonDocumentOf(cliPath, stdout.Result), stderr.ToString());
        }
    }

    /// <summary>The JSON schema this release reads (docs/lxc-snap.schema.json); lxc-snap's --json names its own in every document.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The dotnet executable running this host (MSBuild sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>stdout of lxc-snap --json: one JSON document, the result or the error; null when it printed none.</summary>
    private static JsonElement? JsonDocumentOf(string cliPath, string stdout)
    {
        if (stdout.Trim().Length == 0)
            return null;
        JsonElement document;
        try
        {
            document = JsonDocument.Parse(stdout).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
        var version = document.ValueKind == JsonValueKind.Object && document.TryGetProperty("schemaVersion", out var v) && v.TryGetInt32(out var n) ? n : 0;
        if (version != SchemaVersion)
        {
            throw new LxcSnapProcessException(
                $"lxc-snap at '{cliPath}' prints JSON of schema version {(version == 0 ? "0 (none named)" : version)}; this LxcSnap reads version {SchemaVersion}. Use the lxc-snap of the same release.");
        }
        return document;
    }
}
