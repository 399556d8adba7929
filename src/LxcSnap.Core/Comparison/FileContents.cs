using System.Buffers;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core.Comparison;

/// <summary>Whether two regular files hold the same bytes.</summary>
internal static class FileContents
{
    private const int ChunkBytes = 256 * 1024;

    /// <summary>
    /// Reads both side by side and stops at the first chunk that differs. A file gone meanwhile, or
    /// no longer the one that was lstat'ed (a running container replaced it), differs.
    /// </summary>
    public static bool Equal(TreeEntry first, TreeEntry second)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(2 * ChunkBytes);
        try
        {
            using var a = PosixFiles.OpenForReading(first.Path);
            using var b = PosixFiles.OpenForReading(second.Path);
            if (PosixFiles.TryStatDescriptor(a, out _)?.Identity != first.Status.Identity
                || PosixFiles.TryStatDescriptor(b, out _)?.Identity != second.Status.Identity)
                return false;
            var left = buffer.AsSpan(0, ChunkBytes);
            var right = buffer.AsSpan(ChunkBytes, ChunkBytes);
            for (long offset = 0; ; )
            {
                var read = ReadFully(a, left, offset);
                if (ReadFully(b, right, offset) != read || !left[..read].SequenceEqual(right[..read]))
                    return false;
                if (read < ChunkBytes)
                    return true;
                offset += read;
            }
        }
        catch (FileSystemCallException e) when (e.Errno is Errno.ENOENT or Errno.ELOOP)
        {
            return false; // removed, or replaced by a symlink, while compared (a running container)
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/> unless the file ends first.</summary>
    private static int ReadFully(Microsoft.Win32.SafeHandles.SafeFileHandle file, Span<byte> buffer, long offset)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(file, buffer[total..], offset + total);
            if (read == 0)
                break;
            total += read;
        }
        return total;
    }
}
