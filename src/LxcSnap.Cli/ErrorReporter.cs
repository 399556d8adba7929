using System.Text.Json;
using LxcSnap.Core;

namespace LxcSnap.Cli;

/// <summary>
/// Reports a failure: always as text on stderr, its remedies in lxc-snap's flags, and with --json
/// also as <c>{"schemaVersion", "error": {"kind", "message", "problem", "remedies"}}</c> on stdout,
/// where the result would have been (stdout holds one JSON document either way), so that scripts
/// (and the MSBuild tasks, and the NUKE component) can tell failures apart without parsing prose
/// and word the remedies in their own terms. docs/json.md lists the kinds.
/// </summary>
internal sealed class ErrorReporter(TextWriter stdout, TextWriter stderr, bool json)
{
    public int Report(LxcSnapException error, int exitCode) =>
        Report(LxcSnapErrors.KindOf(error.Error), CliWording.Instance.Message(error), exitCode, error.Problem, error.Remedies);

    public int Report(string kind, string message, int exitCode, string? problem = null, IReadOnlyList<Remedy>? remedies = null)
    {
        stderr.WriteLine($"lxc-snap: {Printable(message)}");
        if (json)
        {
            var detail = new ErrorDetailJson(kind, message, problem ?? message, (remedies ?? []).Select(RemedyJson.From).ToList());
            stdout.WriteLine(JsonSerializer.Serialize(new ErrorJson(detail), JsonResultWriter.Context.ErrorJson));
        }
        return exitCode;
    }

    /// <summary>
    /// A message may quote what a user typed or a file held: its control characters are shown
    /// escaped (a terminal would obey them), its lines kept.
    /// </summary>
    public static string Printable(string message) =>
        string.Join('\n', message.Split('\n').Select(Core.Printable.Escape));
}

internal sealed record ErrorDetailJson(string Kind, string Message, string Problem, IReadOnlyList<RemedyJson> Remedies);
internal sealed record ErrorJson(ErrorDetailJson Error) : JsonDocument;
