using System.Text.Json;
using System.Text.Json.Serialization;

namespace LxcSnap.Core;

/// <summary>
/// A <see cref="Remedy"/> as lxc-snap's <c>--json</c> errors carry it, so that a front-end running
/// lxc-snap as a process (the MSBuild tasks, the NUKE component) words it in its own terms:
/// <c>{"kind": "replaceExisting"}</c>, <c>{"kind": "runCommand", "command": "...", "purpose": "..."}</c>.
/// </summary>
public sealed record RemedyJson(
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Command = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Purpose = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text = null)
{
    public static RemedyJson From(Remedy remedy) => remedy switch
    {
        Remedy.ReplaceExisting => new("replaceExisting"),
        Remedy.AllowRunning => new("allowRunning"),
        Remedy.AbandonOpenTransaction => new("abandonOpenTransaction"),
        Remedy.ChooseLxcPath choose => new("chooseLxcPath", Path: choose.Path),
        Remedy.ChooseStore => new("chooseStore"),
        Remedy.RunCommand run => new("runCommand", Command: run.Command, Purpose: run.Purpose),
        Remedy.Advice advice => new("advice", Text: advice.Text),
        _ => throw new ArgumentOutOfRangeException(nameof(remedy), remedy, "a remedy without a JSON form"),
    };

    /// <summary>The remedies of an error object, <c>{"error": {"remedies": [...]}}</c>'s array; an unknown kind is left out.</summary>
    public static IReadOnlyList<Remedy> Read(JsonElement remedies) =>
        remedies.ValueKind != JsonValueKind.Array
            ? []
            : remedies.EnumerateArray().Select(ToRemedy).OfType<Remedy>().ToList();

    private static Remedy? ToRemedy(JsonElement json)
    {
        string? Text(string name) => json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return Text("kind") switch
        {
            "replaceExisting" => new Remedy.ReplaceExisting(),
            "allowRunning" => new Remedy.AllowRunning(),
            "abandonOpenTransaction" => new Remedy.AbandonOpenTransaction(),
            "chooseLxcPath" => new Remedy.ChooseLxcPath(Text("path")),
            "chooseStore" => new Remedy.ChooseStore(),
            "runCommand" when Text("command") is { } command => new Remedy.RunCommand(command, Text("purpose") ?? ""),
            "advice" when Text("text") is { } text => new Remedy.Advice(text),
            _ => null,
        };
    }
}
