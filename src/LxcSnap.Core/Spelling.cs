namespace LxcSnap.Core;

/// <summary>What a mistyped word was probably meant to be, for messages that suggest it: an option of the CLI, a target of a project.</summary>
public static class Spelling
{
    /// <summary>
    /// The closest of <paramref name="candidates"/> to <paramref name="word"/> when it is at most
    /// <paramref name="maxEdits"/> edits away; ties go to the first in ordinal order, so a message never changes between runs.
    /// </summary>
    public static string? Nearest(string word, IEnumerable<string> candidates, int maxEdits, bool ignoreCase = false)
    {
        string Normal(string text) => ignoreCase ? text.ToUpperInvariant() : text;
        var (best, distance) = candidates
            .Select(candidate => (Candidate: candidate, Distance: EditDistance(Normal(word), Normal(candidate))))
            .OrderBy(c => c.Distance).ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .FirstOrDefault();
        return best is not null && distance <= maxEdits ? best : null;
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
