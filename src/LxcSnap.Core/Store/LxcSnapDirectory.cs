namespace LxcSnap.Core.Store;

/// <summary>
/// The hidden directory lxc-snap keeps in every lxcpath it writes to (the store and the
/// container lxcpath): locks, version marks and the staging area. liblxc lists only directories
/// holding a config file, so it never mistakes this for a container.
/// </summary>
internal static class LxcSnapDirectory
{
    public const string Name = ".lxcsnap";

    public static string For(string lxcPath) => Path.Combine(lxcPath, Name);

    public static string Locks(string lxcPath) => Path.Combine(For(lxcPath), "locks");

    public static string Staging(string lxcPath) => Path.Combine(For(lxcPath), "staging");

    /// <summary>
    /// True for a path inside some staged copy, <c>.../.lxcsnap/staging/ID/...</c>; not for the
    /// stage's own <c>ID.lock</c> and <c>ID.target</c> beside it.
    /// </summary>
    public static bool IsInsideStagedCopy(string path)
    {
        var full = Path.GetFullPath(path);
        var marker = $"/{Name}/staging/";
        var at = full.IndexOf(marker, StringComparison.Ordinal);
        return at >= 0 && full.IndexOf('/', at + marker.Length) > 0;
    }
}
