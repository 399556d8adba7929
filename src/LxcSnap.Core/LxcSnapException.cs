namespace LxcSnap.Core;

/// <summary>What kind of failure an <see cref="LxcSnapException"/> is; stable for callers to switch on.</summary>
public enum LxcSnapError
{
    /// <summary>A name, path or option the caller gave is not acceptable.</summary>
    InvalidArgument,
    /// <summary>liblxc is missing or too old.</summary>
    LxcUnavailable,
    /// <summary>liblxc was asked and failed; the message carries its log lines.</summary>
    LxcFailed,
    ContainerNotFound,
    SnapshotNotFound,
    ContainerRunning,
    TargetExists,
    SnapshotInUse,
    CommentUnreadable,
    /// <summary>The host's filesystem refused something (space, read-only, I/O error, ...).</summary>
    FilesystemFailed,
    /// <summary>The caller lacks the rights on a path (EACCES, EPERM): lxc-snap needs root or the owner's rights.</summary>
    PermissionDenied,
    /// <summary>
    /// A snapshot holds or points at data lxc-snap did not make (a root filesystem outside its
    /// own directory, another tool's snapshots inside it): refused rather than deleted.
    /// </summary>
    ForeignContent,
    /// <summary>The container already has an open provisioning transaction.</summary>
    TransactionConflict,
    /// <summary>No open provisioning transaction matches.</summary>
    TransactionNotFound,
    /// <summary>Provisioning failed and so did the restore; the container was left as it was.</summary>
    RollbackFailed,
}

/// <summary>
/// The one exception LxcSnap.Core throws for failures a user can act on. Its message names what
/// was wrong and what to do.
/// </summary>
public sealed class LxcSnapException : Exception
{
    public LxcSnapException(LxcSnapError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    public LxcSnapError Error { get; }

    /// <summary>A file-system failure (IOException, UnauthorizedAccessException) in the words lxc-snap uses for it everywhere.</summary>
    public static LxcSnapException FromFileSystem(Exception failure) => FileSystemErrors.From(failure);
}
