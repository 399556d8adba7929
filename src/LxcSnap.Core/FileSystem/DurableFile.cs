using System.Runtime.InteropServices;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core;

/// <summary>
/// Writes that survive a crash: a file is written to a temporary name, flushed to disk and renamed
/// over the target, so readers see the old content or the new, never half of it.
/// </summary>
internal static class DurableFile
{
    public static void WriteAllText(string path, string content) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(content));

    /// <summary>
    /// Atomic but not flushed: for bookkeeping whose loss in a crash costs nothing, because it is
    /// rebuilt or re-checked (version marks, staging targets, LXC's dependency records, which
    /// liblxc itself never flushes). Each flush is a journal commit of about 1.5 ms.
    /// </summary>
    public static void ReplaceWithoutFlush(string path, string content) =>
        Write(path, System.Text.Encoding.UTF8.GetBytes(content), flush: false);

    /// <remarks>
    /// Files inside a staged copy are written atomically but not flushed one by one: the whole
    /// copy is flushed with syncfs before it is published (<see cref="Store.Staging.Publish"/>),
    /// and until then nothing refers to it. Each fsync costs a journal commit (~1.5 ms here), and
    /// a snapshot writes several such files (config, ts, comment, dependency records).
    /// </remarks>
    public static void WriteAllBytes(string path, byte[] content) =>
        Write(path, content, flush: !Store.LxcSnapDirectory.IsInsideStagedCopy(path));

    private static void Write(string path, byte[] content, bool flush)
    {
        var temporary = $"{path}.lxcsnap-{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: flush);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        if (flush)
            SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>fsync on a directory makes the names created or renamed in it durable.</summary>
    public static void SyncDirectory(string directory)
    {
        var fd = LibcNative.open(directory, LibcNative.OpenReadOnly | LibcNative.OpenDirectory | LibcNative.OpenCloseOnExec, 0);
        if (fd < 0)
            return;
        LibcNative.fsync(fd);
        LibcNative.close(fd);
    }

    /// <summary>
    /// Flushes the whole filesystem holding <paramref name="path"/>: after a liblxc copy (rsync,
    /// which never fsyncs) this is what makes the copied rootfs durable before we publish it.
    /// </summary>
    public static void SyncFileSystem(string path)
    {
        var fd = LibcNative.open(path, LibcNative.OpenReadOnly | LibcNative.OpenDirectory | LibcNative.OpenCloseOnExec, 0);
        if (fd < 0)
            throw new LxcSnapException(LxcSnapError.FilesystemFailed,
                $"could not open {path} to flush it: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        try
        {
            if (LibcNative.syncfs(fd) != 0)
                throw new LxcSnapException(LxcSnapError.FilesystemFailed,
                    $"could not flush {path} to disk: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        }
        finally
        {
            LibcNative.close(fd);
        }
    }
}
