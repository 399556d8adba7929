using System.Text.Json;
using Json.Schema;

namespace LxcSnap.Tests.Infrastructure;

/// <summary>docs/lxc-snap.schema.json, the contract of lxc-snap's --json, to check real output against.</summary>
public static class JsonContract
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(SchemaPath)));

    public static string SchemaPath => Path.Combine(PublishedCli.RepositoryRoot(), "docs", "lxc-snap.schema.json");

    /// <summary>The schema file itself, to read its enumerations.</summary>
    public static JsonElement SchemaDocument => JsonDocument.Parse(File.ReadAllText(SchemaPath)).RootElement;

    /// <summary>
    /// Parses <paramref name="stdout"/> as the one JSON document lxc-snap --json prints and fails
    /// the test, naming what is wrong where, unless it matches the schema.
    /// </summary>
    public static JsonElement Validated(string stdout, string context)
    {
        JsonElement document;
        try
        {
            document = JsonDocument.Parse(stdout).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"{context}: stdout is not one JSON document ({e.Message}):\n{stdout}");
        }
        var results = Schema.Value.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!results.IsValid)
        {
            var problems = (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"  {d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"));
            throw new Xunit.Sdk.XunitException($"{context}: the document does not match {SchemaPath}:\n{string.Join('\n', problems)}\n{stdout}");
        }
        return document;
    }

    /// <summary>The values an <c>enum</c> at <paramref name="path"/> (a path of property names) in the schema allows.</summary>
    public static IReadOnlySet<string> Enumeration(params string[] path)
    {
        var element = SchemaDocument;
        foreach (var name in path)
            element = element.GetProperty(name);
        return element.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
    }
}
