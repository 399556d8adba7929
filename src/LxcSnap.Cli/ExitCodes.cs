namespace LxcSnap.Cli;

/// <summary>lxc-snap's exit codes, as its help documents them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    /// <summary>diff --exit-code: the two differ, as git diff --exit-code says it.</summary>
    public const int Differences = 1;
    /// <summary>128 + SIGINT, as shells report a process stopped by Ctrl+C.</summary>
    public const int Interrupted = 130;

    /// <summary>The exit code of a failure: usage for what the caller gave wrong, interrupted for a stop, else failure.</summary>
    public static int For(Core.LxcSnapError error) => error switch
    {
        Core.LxcSnapError.InvalidArgument => Usage,
        Core.LxcSnapError.Interrupted => Interrupted,
        _ => Failure,
    };
}
