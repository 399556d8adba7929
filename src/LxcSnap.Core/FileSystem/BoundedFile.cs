using System.Buffers;
using LxcSnap.Core.Interop;

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
    /// <remarks>
    /// A listing reads two of these per snapshot, so this is kept to open, fstat, one read and
    /// close, on the bare descriptor, into a buffer of the file's size (listing 1000 snapshots
    /// spent a fifth of its time zeroing 4 KiB buffers, and more on a second read for the end).
    /// </remarks>
    public static (Outcome Outcome, byte[] Bytes) Read(string path, int maxBytes, bool followSymlinks) =>
        Read(LibcNative.AtCurrentDirectory, path, path, maxBytes, followSymlinks);

    /// <summary>The same, for <paramref name="path"/> relative to the open directory <paramref name="directoryFd"/>.</summary>
    public static (Outcome Outcome, byte[] Bytes) Read(int directoryFd, string path, string displayPath, int maxBytes, bool followSymlinks)
    {
        var flags = LibcNative.OpenReadOnly | LibcNative.OpenNonBlocking | LibcNative.OpenCloseOnExec | (followSymlinks ? 0 : LibcNative.OpenNoFollow);
        var fd = DirectoryNative.openat(directoryFd, path, flags, 0);
        if (fd < 0)
        {
            var errno = ErrnoExtensions.LastError();
            return errno switch
            {
                Errno.ENOENT or Errno.ENOTDIR => (Outcome.Missing, []),
                Errno.ELOOP => (Outcome.NotRegular, []), // O_NOFOLLOW met a symlink
                _ => throw FileSystemErrors.From(new FileSystemCallException("open", displayPath, errno)),
            };
        }
        try
        {
            if (!PosixFiles.TryKindAndSizeAt(fd, "", FileStatNative.AtEmptyPath, out var kind, out var size, out var statErrno))
                throw FileSystemErrors.From(new FileSystemCallException("stat", displayPath, statErrno));
            if (kind != FileKind.Regular)
                return (Outcome.NotRegular, []);
            if (size > maxBytes)
                return (Outcome.TooLarge, []);
            return ReadRegular(fd, displayPath, size, maxBytes);
        }
        finally
        {
            LibcNative.close(fd);
        }
    }

    private static (Outcome, byte[]) ReadRegular(int fd, string path, long statedSize, int maxBytes)
    {
        // One byte more than the stated size tells a file that grew since fstat from one that did
        // not; a file that states no size (as /proc's do) is read in growing pieces. The buffer is
        // pooled: only the bytes read are allocated.
        var wanted = (int)(statedSize > 0 ? statedSize + 1 : Math.Min((long)maxBytes + 1, 256));
        var buffer = ArrayPool<byte>.Shared.Rent(wanted);
        try
        {
            var total = 0;
            while (true)
            {
                var read = PosixFiles.ReadAt(fd, buffer.AsSpan(total, wanted - total), total, path);
                total += read;
                // A read that falls short once the stated size is in is the end: a regular file
                // reads short only there.
                if (read == 0 || (total < wanted && statedSize > 0 && total >= statedSize))
                    break;
                if (total > maxBytes)
                    return (Outcome.TooLarge, []);
                if (total == wanted)
                {
                    wanted = (int)Math.Min((long)wanted * 2, (long)maxBytes + 1);
                    if (wanted > buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(wanted);
                        buffer.AsSpan(0, total).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }
            }
            return total > maxBytes ? (Outcome.TooLarge, []) : (Outcome.Read, buffer.AsSpan(0, total).ToArray());
        }
        catch (FileSystemCallException e)
        {
            throw FileSystemErrors.From(e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
