using System.Globalization;
using System.Text;

namespace LxcSnap.Core;

/// <summary>
/// Quotes text that came from outside (a name, a path, a file's contents) for a message, so that
/// control characters cannot move a terminal's cursor, change its colours or hide the rest of
/// the line: ESC, CR, newline and the like are shown escaped, as \e, \r, \n, \x7f.
/// </summary>
public static class Printable
{
    /// <summary><paramref name="text"/> in single quotes, control characters escaped.</summary>
    public static string Quote(string? text) => $"'{Escape(text ?? "")}'";

    /// <summary><paramref name="text"/> with its control characters escaped, unquoted.</summary>
    public static string Escape(string text)
    {
        if (!text.Any(char.IsControl))
            return text;
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\x1b' => "\\e",
                _ when char.IsControl(c) => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }
}
