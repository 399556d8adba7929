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
    /// <summary>Stopped (Ctrl+C, SIGTERM, a cancelled build) before it changed anything.</summary>
    Interrupted,
}

/// <summary>
/// The one exception LxcSnap.Core throws for failures a user can act on: a <see cref="Problem"/>
/// that names what was wrong, and the <see cref="Remedies"/> that say what to do, which each
/// front-end words in its own terms (<see cref="RemedyWording"/>). <see cref="Exception.Message"/>
/// words them without any front-end's options.
/// </summary>
public sealed class LxcSnapException : Exception
{
    public LxcSnapException(LxcSnapError error, string message, Exception? inner = null)
        : this(error, message, [], inner)
    {
    }

    public LxcSnapException(LxcSnapError error, string problem, IReadOnlyList<Remedy> remedies, Exception? inner = null)
        : base(RemedyWording.Neutral.Message(problem, remedies), inner)
    {
        Error = error;
        Problem = problem;
        Remedies = remedies;
    }

    public LxcSnapError Error { get; }

    /// <summary>What was wrong, naming the container, snapshot or path; without the remedies.</summary>
    public string Problem { get; }

    /// <summary>What the user can do, in no front-end's words; empty when the problem says it all.</summary>
    public IReadOnlyList<Remedy> Remedies { get; }

    /// <summary>A file-system failure (IOException, UnauthorizedAccessException) in the words lxc-snap uses for it everywhere.</summary>
    public static LxcSnapException FromFileSystem(Exception failure) => FileSystemErrors.From(failure);
}
