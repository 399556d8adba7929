using Microsoft.Win32.SafeHandles;

namespace LxcSnap.Core.Interop;

/// <summary>The managed face of <see cref="DirectoryNative"/>: descriptors as SafeFileHandles, names as strings, failures as <see cref="FileSystemCallException"/>.</summary>
internal static unsafe class PosixDirectories
{
    /// <summary>Opens a directory itself, never through a symlink; null when it does not exist.</summary>
    public static SafeFileHandle? OpenDirectory(SafeFileHandle? parent, string name, string displayPath)
    {
        var parentFd = parent is null ? FileMetadataNative.AtCurrentDirectory : (int)parent.DangerousGetHandle();
        var fd = DirectoryNative.openat(parentFd, name,
            DirectoryNative.OpenDirectory | DirectoryNative.OpenNoFollow | DirectoryNative.OpenCloseOnExec, 0);
        if (fd >= 0)
            return new SafeFileHandle(fd, ownsHandle: true);
        var errno = ErrnoExtensions.LastError();
        return errno == Errno.ENOENT ? null : throw new FileSystemCallException("open directory", displayPath, errno);
    }

    /// <summary>The names in an open directory (not . and ..), with the type readdir reports (DT_UNKNOWN on some file systems).</summary>
    public static List<(string Name, byte Type)> ReadEntries(SafeFileHandle directory, string displayPath)
    {
        // fdopendir takes the descriptor it is given: give it a duplicate, so ours stays open.
        var duplicate = DirectoryNative.dup((int)directory.DangerousGetHandle());
        if (duplicate < 0)
            throw new FileSystemCallException("read directory", displayPath, ErrnoExtensions.LastError());
        var stream = DirectoryNative.fdopendir(duplicate);
        if (stream == IntPtr.Zero)
        {
            var errno = ErrnoExtensions.LastError();
            LibcNative.close(duplicate);
            throw new FileSystemCallException("read directory", displayPath, errno);
        }
        try
        {
            var entries = new List<(string, byte)>();
            while (true)
            {
                System.Runtime.InteropServices.Marshal.SetLastPInvokeError(0);
                var entry = DirectoryNative.readdir64(stream);
                if (entry is null)
                {
                    var errno = ErrnoExtensions.LastError();
                    return errno == 0 ? entries : throw new FileSystemCallException("read directory", displayPath, errno);
                }
                var name = System.Runtime.InteropServices.Marshal.PtrToStringUTF8((IntPtr)entry->Name)!;
                if (name is not ("." or ".."))
                    entries.Add((name, entry->Type));
            }
        }
        finally
        {
            DirectoryNative.closedir(stream);
        }
    }

    /// <summary>lstat of an entry of an open directory; null when it is gone.</summary>
    public static FileStatus? StatEntry(SafeFileHandle directory, string name, string displayPath)
    {
        var status = PosixFiles.TryStatAt((int)directory.DangerousGetHandle(), name, out var errno);
        return status ?? (errno == Errno.ENOENT ? null : throw new FileSystemCallException("stat", displayPath, errno));
    }

    /// <summary>unlink, or rmdir with <paramref name="isDirectory"/>; an entry already gone is not an error.</summary>
    public static void RemoveEntry(SafeFileHandle? directory, string name, bool isDirectory, string displayPath)
    {
        var directoryFd = directory is null ? FileMetadataNative.AtCurrentDirectory : (int)directory.DangerousGetHandle();
        if (DirectoryNative.unlinkat(directoryFd, name, isDirectory ? DirectoryNative.RemoveDirectory : 0) == 0)
            return;
        var errno = ErrnoExtensions.LastError();
        if (errno != Errno.ENOENT)
            throw new FileSystemCallException("remove", displayPath, errno);
    }
}
