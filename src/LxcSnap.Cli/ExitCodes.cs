namespace LxcSnap.Cli;

/// <summary>lxc-snap's exit codes, as its help documents them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    /// <summary>128 + SIGINT, as shells report a process stopped by Ctrl+C.</summary>
    public const int Interrupted = 130;
}
