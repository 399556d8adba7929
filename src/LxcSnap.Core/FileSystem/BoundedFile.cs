using LxcSnap.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace LxcSnap.Core;

/// <summary>
/// Reads a small file that someone else may have made, whatever it turns out to be: a device or
/// FIFO is refused before a byte is read (open never blocks: O_NONBLOCK), and no more than a
/// limit is read, so /dev/zero, a FIFO nobody writes or a file that keeps growing can neither
/// hang lxc-snap nor fill its memory.
/// </summary>
internal static class BoundedFile
{
    public enum Outcome
    {
        Read,
        Missing,
        /// <summary>A directory, device, FIFO or socket; or, without following symlinks, a symlink.</summary>
        NotRegular,
        TooLarge,
    }

    /// <param name="followSymlinks">False for files inside lxc-snap's own directories, where a symlink has no business.</param>
    /// <returns>The outcome, with the bytes when it was read.</returns>
    public static (Outcome Outcome, byte[] Bytes) Read(string path, int maxBytes, bool followSymlinks)
    {
        var flags = LibcNative.OpenReadOnly | LibcNative.OpenNonBlocking | LibcNative.OpenCloseOnExec | (followSymlinks ? 0 : LibcNative.OpenNoFollow);
        var fd = LibcNative.open(path, flags, 0);
        if (fd < 0)
        {
            var errno = ErrnoExtensions.LastError();
            return errno switch
            {
                Errno.ENOENT or Errno.ENOTDIR => (Outcome.Missing, []),
                Errno.ELOOP => (Outcome.NotRegular, []), // O_NOFOLLOW met a symlink
                _ => throw FileSystemErrors.From(new FileSystemCallException("open", path, errno)),
            };
        }
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var status = PosixFiles.TryStatDescriptor(handle, out var statErrno)
                     ?? throw FileSystemErrors.From(new FileSystemCallException("stat", path, statErrno));
        if (status.Kind != FileKind.Regular)
            return (Outcome.NotRegular, []);
        if (status.Size > maxBytes)
            return (Outcome.TooLarge, []);
        // One byte more than allowed tells a file that grew since fstat from one that did not.
        var buffer = new byte[Math.Min((long)maxBytes + 1, Math.Max(status.Size + 1, 4096))];
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(total), total);
            if (read == 0)
                break;
            total += read;
            if (total == buffer.Length && total <= maxBytes)
                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, (long)maxBytes + 1));
        }
        return total > maxBytes ? (Outcome.TooLarge, []) : (Outcome.Read, buffer[..total]);
    }
}
