namespace LxcSnap.Core;

/// <summary>
/// The hidden directory lxc-snap keeps in every lxcpath it writes to (the store and the
/// container lxcpath): locks, version marks, freeze records and the staging area. liblxc lists
/// only directories holding a config file, so it never mistakes this for a container.
/// </summary>
internal static class LxcSnapDirectory
{
    public const string Name = ".lxcsnap";

    /// <summary>rwxr-x---: readable by the group that may read LXC's own configs (0640), by nobody else.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                     | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    public static string For(string lxcPath) => Path.Combine(lxcPath, Name);

    public static string Locks(string lxcPath) => Path.Combine(For(lxcPath), "locks");

    public static string Staging(string lxcPath) => Path.Combine(For(lxcPath), "staging");

    /// <summary>The staging area's own lock (see Store.Staging); never unlinked.</summary>
    public static string StagingAreaLock(string lxcPath) => Path.Combine(For(lxcPath), "staging.lock");

    /// <summary>Records of containers lxc-snap froze, while it has them frozen.</summary>
    public static string Frozen(string lxcPath) => Path.Combine(For(lxcPath), "frozen");

    /// <summary>
    /// Creates <paramref name="directory"/>, inside a .lxcsnap directory, and its missing parents up
    /// to and including that .lxcsnap, with <see cref="Mode"/> (Directory.CreateDirectory gives
    /// the mode to the last level only).
    /// </summary>
    public static void Create(string directory)
    {
        var full = Path.GetFullPath(directory).TrimEnd('/');
        var top = full.LastIndexOf("/" + Name, StringComparison.Ordinal);
        var from = top < 0 ? full.Length : top + Name.Length + 1;
        for (var end = full.IndexOf('/', from); ; end = full.IndexOf('/', end + 1))
        {
            Directory.CreateDirectory(end < 0 ? full : full[..end], Mode);
            if (end < 0)
                return;
        }
    }

    /// <summary>The lxcpath whose staging area holds the stage lxcpath <paramref name="stageLxcPath"/> (<c>X/.lxcsnap/staging/ID</c> gives X), or null.</summary>
    public static string? LxcPathOfStage(string stageLxcPath)
    {
        var full = Path.GetFullPath(stageLxcPath).TrimEnd('/');
        var marker = $"/{Name}/staging/";
        var at = full.LastIndexOf(marker, StringComparison.Ordinal);
        return at > 0 && full.IndexOf('/', at + marker.Length) < 0 ? full[..at] : null;
    }

    /// <summary>
    /// True for a path inside some staged copy, <c>.../.lxcsnap/staging/ID/...</c>; not for the
    /// stage's own <c>ID.lock</c> and marker beside it.
    /// </summary>
    public static bool IsInsideStagedCopy(string path)
    {
        var full = Path.GetFullPath(path);
        var marker = $"/{Name}/staging/";
        var at = full.IndexOf(marker, StringComparison.Ordinal);
        return at >= 0 && full.IndexOf('/', at + marker.Length) > 0;
    }
}
