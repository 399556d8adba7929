using System.Runtime.InteropServices;

namespace LxcSnap.Core.Interop;

/// <summary>The errno values lxc-snap tells apart (Linux, asm-generic numbering).</summary>
internal enum Errno
{
    EPERM = 1,
    ENOENT = 2,
    ESRCH = 3,
    EINTR = 4,
    EIO = 5,
    ENXIO = 6,
    EAGAIN = 11,
    EACCES = 13,
    EBUSY = 16,
    EEXIST = 17,
    EXDEV = 18,
    ENOTDIR = 20,
    EISDIR = 21,
    EINVAL = 22,
    ENOTTY = 25,
    ENOSPC = 28,
    EROFS = 30,
    ERANGE = 34,
    ENOSYS = 38,
    ENOTEMPTY = 39,
    ELOOP = 40,
    ENODATA = 61,
    EOPNOTSUPP = 95,
    EDQUOT = 122,
}

internal static class ErrnoExtensions
{
    /// <summary>EWOULDBLOCK is EAGAIN on Linux.</summary>
    public const Errno EWOULDBLOCK = Errno.EAGAIN;

    /// <summary>The errno of the last P/Invoke call that set it.</summary>
    public static Errno LastError() => (Errno)Marshal.GetLastPInvokeError();

    /// <summary>strerror's text, "No such file or directory".</summary>
    public static string Describe(this Errno errno) => Marshal.GetPInvokeErrorMessage((int)errno);

    /// <summary>The refusals that mean "not allowed", whoever asks: the caller lacks the rights.</summary>
    public static bool IsPermissionDenied(this Errno errno) => errno is Errno.EACCES or Errno.EPERM;
}
