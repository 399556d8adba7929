using LxcSnap.Core.Interop;

namespace LxcSnap.Core;

/// <summary>
/// Turns a failed file-system call into the error a user can act on: one wording for a refusal
/// of rights, one for a full disk, one for a read-only file system, wherever they happen.
/// </summary>
internal static class FileSystemErrors
{
    public static LxcSnapException From(FileSystemCallException failure) => failure.Errno switch
    {
        Errno.EACCES or Errno.EPERM => PermissionDenied(failure.Path, failure),
        Errno.ENOSPC or Errno.EDQUOT => new LxcSnapException(LxcSnapError.FilesystemFailed,
            $"{failure.Message}: the file system is full. Free some space (pruning old snapshots is one way), then try again.", failure),
        Errno.EROFS => new LxcSnapException(LxcSnapError.FilesystemFailed,
            $"{failure.Message}: it is on a read-only file system.", failure),
        _ => new LxcSnapException(LxcSnapError.FilesystemFailed, failure.Message + ".", failure),
    };

    public static LxcSnapException PermissionDenied(string path, Exception? inner = null) =>
        new(LxcSnapError.PermissionDenied, $"permission denied on {path}: lxc-snap needs root (or the owner's rights).", inner);

    /// <summary>What .NET's own file calls throw, worded the same way (.NET does not say which path it was refused).</summary>
    public static LxcSnapException From(Exception failure) => failure switch
    {
        LxcSnapException known => known,
        FileSystemCallException call => From(call),
        UnauthorizedAccessException => new LxcSnapException(LxcSnapError.PermissionDenied,
            $"permission denied: {failure.Message} lxc-snap needs root (or the owner's rights).", failure),
        _ => new LxcSnapException(LxcSnapError.FilesystemFailed, failure.Message, failure),
    };
}
