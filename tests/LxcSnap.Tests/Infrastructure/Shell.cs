using System.Diagnostics;

namespace LxcSnap.Tests.Infrastructure;

/// <summary>The outcome of a process a test ran.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs programs the way a user would: LXC's own tools and the published lxc-snap.</summary>
public static class Shell
{
    public static ProcessResult Run(string program, params string[] arguments) =>
        Run(program, arguments, environment: null, TimeSpan.FromMinutes(3));

    public static ProcessResult Run(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment, TimeSpan timeout)
    {
        using var process = Start(program, arguments, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static readonly string[] ProvenanceVariables =
        ["SUDO_USER", Core.Store.Provenance.MadeByVariable, Core.Store.Provenance.MadeByDetailVariable, .. Core.Store.ContinuousIntegrationRun.Variables];

    public static Process Start(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // Tests choose their store explicitly; a developer's own setting must not leak in.
        start.Environment.Remove("LXCSNAP_STORE");
        // Nor who runs them: the provenance a snapshot records is what the test sets.
        foreach (var variable in ProvenanceVariables)
            start.Environment.Remove(variable);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs a command that must succeed, returning its stdout.</summary>
    public static string Check(string program, params string[] arguments) => CheckWithin(TimeSpan.FromMinutes(3), program, arguments);

    /// <summary>
    /// Runs `dotnet build`, `pack` or `publish`, which must succeed. A build takes what the machine
    /// gives it: under load (two test runs at once) packing the tasks took over 3 minutes, so only a
    /// build that hangs is cut off here.
    /// </summary>
    public static string Dotnet(params string[] arguments) => CheckWithin(TimeSpan.FromMinutes(15), "dotnet", arguments);

    private static string CheckWithin(TimeSpan timeout, string program, string[] arguments)
    {
        var result = Run(program, arguments, environment: null, timeout);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {result}");
        return result.Stdout;
    }
}
