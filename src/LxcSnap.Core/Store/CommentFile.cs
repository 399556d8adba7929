namespace LxcSnap.Core.Store;

/// <summary>Reads a snapshot comment from the file a user names, before anything is made.</summary>
public static class CommentFile
{
    /// <summary>Largest comment accepted; a comment is a note, not a payload.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The file's bytes exactly; refused (<see cref="LxcSnapError.CommentUnreadable"/>) unless it is a regular file of at most <see cref="MaxBytes"/>.</summary>
    public static SnapshotComment Read(string path)
    {
        if (string.IsNullOrEmpty(path))
            throw Unreadable(path, "no file was named");
        try
        {
            var (outcome, bytes) = BoundedFile.Read(path, MaxBytes, followSymlinks: true);
            return outcome switch
            {
                BoundedFile.Outcome.Read => new SnapshotComment(bytes),
                BoundedFile.Outcome.Missing => throw Unreadable(path, "no such file"),
                BoundedFile.Outcome.NotRegular => throw Unreadable(path, Directory.Exists(path)
                    ? "it is a directory"
                    : "it is not a regular file (a device, FIFO or socket)"),
                _ => throw Unreadable(path, $"it is larger than {MaxBytes / 1024} KiB"),
            };
        }
        catch (LxcSnapException e) when (e.Error is LxcSnapError.PermissionDenied or LxcSnapError.FilesystemFailed)
        {
            throw Unreadable(path, e.Message);
        }
    }

    private static LxcSnapException Unreadable(string path, string why) =>
        new(LxcSnapError.CommentUnreadable, $"cannot read comment file {Printable.Quote(path)}: {why}. Nothing was snapshotted.");
}
