namespace LxcSnap.Core.Store;

/// <summary>Reads a snapshot comment from the file a user names, before anything is made.</summary>
public static class CommentFile
{
    /// <summary>Largest comment accepted; a comment is a note, not a payload.</summary>
    public const int MaxBytes = 1024 * 1024;

    public static string Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (Directory.Exists(path))
                throw Unreadable(path, "it is a directory");
            if (!info.Exists)
                throw Unreadable(path, "no such file");
            if (info.Length > MaxBytes)
                throw Unreadable(path, $"it is larger than {MaxBytes / 1024} KiB");
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, e.Message);
        }
    }

    private static LxcSnapException Unreadable(string path, string why) =>
        new(LxcSnapError.CommentUnreadable, $"cannot read comment file '{path}': {why}. Nothing was snapshotted.");
}
