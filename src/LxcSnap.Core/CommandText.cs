namespace LxcSnap.Core;

/// <summary>Command lines for people to copy: every argument quoted for a POSIX shell where it needs it, so that the command runs as printed.</summary>
public static class CommandText
{
    public static string Of(params string[] arguments) => string.Join(' ', arguments.Select(Quote));

    /// <summary>An argument as a shell reads it back: unchanged when it holds only safe characters, else in single quotes.</summary>
    public static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@%+,".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
