namespace LxcSnap.Action.Runner;

/// <summary>
/// The step's inputs as the runner passes them to a container action: environment variables
/// <c>INPUT_&lt;NAME&gt;</c>, the name upper-cased with spaces turned into underscores and dashes
/// kept (<c>INPUT_RESTORE-ON-FAILURE</c>), which a shell cannot expand but a program can read.
/// Defaults come from action.yml, evaluated by the runner in each stage.
/// </summary>
internal sealed class ActionInputs(IReadOnlyDictionary<string, string> environment)
{
    public static string VariableName(string input) => "INPUT_" + input.Replace(' ', '_').ToUpperInvariant();

    /// <summary>The input's value, trimmed; null when empty or not given.</summary>
    public string? Optional(string input) =>
        environment.TryGetValue(VariableName(input), out var value) && value.Trim().Length > 0 ? value.Trim() : null;

    public string Required(string input) =>
        Optional(input) ?? throw new ActionInputException($"input '{input}' is required: set it under 'with:' in the workflow.");

    /// <summary>true/false (YAML 1.2 core schema, as actions/toolkit's getBooleanInput reads them).</summary>
    public bool Boolean(string input, bool whenEmpty)
    {
        var value = Optional(input);
        return value switch
        {
            null => whenEmpty,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ => throw new ActionInputException($"input '{input}' is '{value}': use true or false."),
        };
    }

    /// <summary>A whole number of at least <paramref name="minimum"/>; null when empty.</summary>
    public int? Count(string input, int minimum, string meaning)
    {
        var value = Optional(input);
        if (value is null)
            return null;
        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count >= minimum
            ? count
            : throw new ActionInputException($"input '{input}' is '{value}': give {meaning}, {minimum} or more, or leave it empty.");
    }
}

/// <summary>An input the workflow gave that cannot be used; nothing was done.</summary>
internal sealed class ActionInputException(string message) : Exception(message);
