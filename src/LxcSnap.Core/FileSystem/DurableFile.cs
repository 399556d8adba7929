using System.Globalization;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core;

/// <summary>
/// Writes that survive a crash: a file is written to a temporary name, flushed to disk and renamed
/// over the target, so readers see the old content or the new, never half of it.
///
/// Modes follow LXC: a file that exists keeps its mode (liblxc's lxc_snapshots is 0644, its
/// config 0640), a new one is made rw-r----- as liblxc makes a container's config.
/// </summary>
internal static class DurableFile
{
    public const UnixFileMode NewFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

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
    /// copy is flushed with syncfs before it is published (Store.Staging.Publish),
    /// and until then nothing refers to it. Each fsync costs a journal commit (~1.5 ms here), and
    /// a snapshot writes several such files (config, ts, comment, dependency records).
    /// </remarks>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content) =>
        Write(path, content, flush: !LxcSnapDirectory.IsInsideStagedCopy(path));

    private static void Write(string path, ReadOnlySpan<byte> content, bool flush)
    {
        var temporary = $"{path}{TemporaryMarker}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp";
        var existingMode = PosixFiles.TryStat(path, out _) is { Kind: FileKind.Regular } existing ? (UnixFileMode)existing.Permissions : (UnixFileMode?)null;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, UnixCreateMode = NewFileMode };
            using (var stream = new FileStream(temporary, options))
            {
                if (existingMode is { } mode)
                    File.SetUnixFileMode(stream.SafeFileHandle, mode);
                stream.Write(content);
                stream.Flush(flushToDisk: flush);
            }
            CrashPoints.Reach("durable-file.written");
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

    private const string TemporaryMarker = ".lxcsnap-";

    /// <summary>
    /// Removes the temporary files that writers of <paramref name="path"/> killed mid-write left
    /// beside it (<c>NAME.lxcsnap-PID.tmp</c> of a process that no longer exists): for files kept
    /// in directories that are not lxc-snap's own, such as a container's lxc_snapshots.
    /// </summary>
    public static void RemoveAbandonedTemporaries(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var prefix = Path.GetFileName(path) + TemporaryMarker;
        try
        {
            foreach (var temporary in Directory.EnumerateFiles(directory, prefix + "*.tmp"))
            {
                var pid = Path.GetFileName(temporary)[prefix.Length..^".tmp".Length];
                if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var owner) && !ProcessIsAlive(owner))
                    File.Delete(temporary);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Tidying up is best effort: the next write tries again.
        }
    }

    private static bool ProcessIsAlive(int pid) =>
        LibcNative.kill(pid, 0) == 0 || ErrnoExtensions.LastError() != Errno.ESRCH;

    /// <summary>fsync on a directory makes the names created or renamed in it durable.</summary>
    public static void SyncDirectory(string directory)
    {
        using var handle = OpenDirectory(directory);
        if (handle is not null)
            LibcNative.fsync((int)handle.DangerousGetHandle());
    }

    /// <summary>
    /// Flushes the whole filesystem holding <paramref name="path"/>: after a liblxc copy (rsync,
    /// which never fsyncs) this is what makes the copied rootfs durable before we publish it.
    /// </summary>
    public static void SyncFileSystem(string path)
    {
        using var handle = OpenDirectory(path) ?? throw FileSystemErrors.From(new FileSystemCallException("open", path, ErrnoExtensions.LastError()));
        if (LibcNative.syncfs((int)handle.DangerousGetHandle()) != 0)
            throw FileSystemErrors.From(new FileSystemCallException("flush to disk", path, ErrnoExtensions.LastError()));
    }

    /// <summary>
    /// fsync of every file and directory under <paramref name="directory"/>, itself included, except
    /// inside btrfs subvolumes and mounts below it: for a copy whose rootfs is a subvolume that is
    /// on disk already, and whose config, ts and comment are not.
    /// </summary>
    public static void SyncTreeOutsideSubvolumes(string directory)
    {
        try
        {
            using var handle = PosixDirectories.OpenDirectory(null, directory, directory)
                               ?? throw new FileSystemCallException("open", directory, Errno.ENOENT);
            SyncEntries(handle, directory);
        }
        catch (FileSystemCallException e)
        {
            throw FileSystemErrors.From(e);
        }
    }

    private static void SyncEntries(Microsoft.Win32.SafeHandles.SafeFileHandle directory, string path)
    {
        foreach (var (name, _) in PosixDirectories.ReadEntries(directory, path))
        {
            var entryPath = Path.Combine(path, name);
            var status = PosixDirectories.StatEntry(directory, name, entryPath);
            if (status is null || status.IsMountRoot == true || status.IsSubvolumeRoot)
                continue;
            if (status.Kind == FileKind.Directory)
            {
                using var child = PosixDirectories.OpenDirectory(directory, name, entryPath);
                if (child is not null)
                    SyncEntries(child, entryPath);
            }
            else if (status.Kind == FileKind.Regular)
            {
                var fd = DirectoryNative.openat((int)directory.DangerousGetHandle(), name,
                    LibcNative.OpenReadOnly | LibcNative.OpenNoFollow | LibcNative.OpenCloseOnExec, 0);
                if (fd < 0)
                    throw new FileSystemCallException("open", entryPath, ErrnoExtensions.LastError());
                var synced = LibcNative.fsync(fd) == 0;
                var errno = ErrnoExtensions.LastError();
                LibcNative.close(fd);
                if (!synced)
                    throw new FileSystemCallException("flush to disk", entryPath, errno);
            }
        }
        if (LibcNative.fsync((int)directory.DangerousGetHandle()) != 0)
            throw new FileSystemCallException("flush to disk", path, ErrnoExtensions.LastError());
    }

    private static Microsoft.Win32.SafeHandles.SafeFileHandle? OpenDirectory(string path)
    {
        var fd = LibcNative.open(path, LibcNative.OpenReadOnly | LibcNative.OpenDirectory | LibcNative.OpenCloseOnExec, 0);
        return fd < 0 ? null : new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
    }
}
