using System.Text.Json;
using LxcSnap.Core;

namespace LxcSnap.Cli;

/// <summary>
/// Reports a failure: always as text on stderr, and with --json also as
/// <c>{"error": {"kind": "...", "message": "..."}}</c> on stdout, so that scripts (and the MSBuild
/// tasks) can tell failures apart without parsing prose. docs/json.md lists the kinds.
/// </summary>
internal sealed class ErrorReporter(TextWriter stdout, TextWriter stderr, bool json)
{
    public int Report(LxcSnapError error, string message, int exitCode) =>
        Report(JsonNamingPolicy.CamelCase.ConvertName(error.ToString()), message, exitCode);

    public int Report(string kind, string message, int exitCode)
    {
        stderr.WriteLine($"lxc-snap: {Printable(message)}");
        if (json)
            stdout.WriteLine(JsonSerializer.Serialize(new ErrorJson(new ErrorDetailJson(kind, message)), JsonResultWriter.Context.ErrorJson));
        return exitCode;
    }

    /// <summary>
    /// A message may quote what a user typed or a file held: its control characters are shown
    /// escaped (a terminal would obey them), its lines kept.
    /// </summary>
    public static string Printable(string message) =>
        string.Join('\n', message.Split('\n').Select(Core.Printable.Escape));
}

internal sealed record ErrorDetailJson(string Kind, string Message);
internal sealed record ErrorJson(ErrorDetailJson Error);
