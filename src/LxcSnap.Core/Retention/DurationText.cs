using System.Globalization;
using System.Text.RegularExpressions;

namespace LxcSnap.Core.Retention;

/// <summary>Durations as people type them: <c>90s</c>, <c>30m</c>, <c>12h</c>, <c>7d</c>, <c>2w</c>, or combined, <c>1d12h</c>.</summary>
public static partial class DurationText
{
    public static TimeSpan Parse(string text)
    {
        var match = Duration().Match(text.Trim());
        if (!match.Success || text.Trim().Length == 0)
        {
            throw new LxcSnapException(LxcSnapError.InvalidArgument,
                $"{Printable.Quote(text)} is not a duration: use a number and a unit (s, m, h, d, w), for example 30m, 12h, 7d or 1d12h.");
        }
        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var amount = int.Parse(part.Value[..^1], NumberStyles.None, CultureInfo.InvariantCulture);
            total += part.Value[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => TimeSpan.FromDays(7.0 * amount),
            };
        }
        return total;
    }

    /// <summary>The compact form <see cref="Parse"/> reads: 1d12h, 30m, 45s.</summary>
    public static string Format(TimeSpan duration)
    {
        var parts = new List<string>();
        if (duration.Days > 0) parts.Add($"{duration.Days}d");
        if (duration.Hours > 0) parts.Add($"{duration.Hours}h");
        if (duration.Minutes > 0) parts.Add($"{duration.Minutes}m");
        if (duration.Seconds > 0 || parts.Count == 0) parts.Add($"{duration.Seconds}s");
        return string.Concat(parts);
    }

    [GeneratedRegex(@"^(?<part>\d{1,6}[smhdw])+$")]
    private static partial Regex Duration();
}
