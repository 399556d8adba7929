using LxcSnap.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace LxcSnap.Core;

/// <summary>
/// A directory opened once, whose small files are then opened from it instead of by their whole
/// path: a listing of 1000 snapshots looked the store's path up 3000 times. Names given to it are
/// relative to it and never followed through a final symlink; messages name the full path.
/// </summary>
internal sealed class DirectoryReader : IDisposable
{
    private readonly SafeFileHandle _handle;

    private DirectoryReader(SafeFileHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Opens <paramref name="path"/> (through a symlink, as a user would name it); null when it does not exist.</summary>
    public static DirectoryReader? Open(string path)
    {
        var fd = DirectoryNative.openat(LibcNative.AtCurrentDirectory, path,
            LibcNative.OpenReadOnly | LibcNative.OpenDirectory | LibcNative.OpenCloseOnExec, 0);
        if (fd >= 0)
            return new DirectoryReader(new SafeFileHandle(fd, ownsHandle: true), path);
        var errno = ErrnoExtensions.LastError();
        return errno == Errno.ENOENT
            ? null
            : throw FileSystemErrors.From(new FileSystemCallException("open directory", path, errno));
    }

    public string FullPath(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The names in the directory, not . and ..</summary>
    public List<string> Names()
    {
        try
        {
            return PosixDirectories.ReadEntries(_handle, Path).ConvertAll(entry => entry.Name);
        }
        catch (FileSystemCallException e)
        {
            throw FileSystemErrors.From(e);
        }
    }

    /// <summary>True when <paramref name="name"/> exists; <see cref="LxcSnapError.PermissionDenied"/> when we may not look.</summary>
    public bool Exists(string name)
    {
        if (PosixFiles.TryKindAndSizeAt(Descriptor, name, 0, out _, out _, out var errno))
            return true;
        return errno.IsPermissionDenied() ? throw FileSystemErrors.PermissionDenied(FullPath(name)) : false;
    }

    /// <summary><see cref="BoundedFile.Read(string, int, bool)"/> of <paramref name="name"/>, never through a symlink.</summary>
    public (BoundedFile.Outcome Outcome, byte[] Bytes) ReadBounded(string name, int maxBytes) =>
        BoundedFile.Read(Descriptor, name, FullPath(name), maxBytes, followSymlinks: false);

    // The handle outlives every call that uses the number: it is disposed only with the reader.
    private int Descriptor => (int)_handle.DangerousGetHandle();

    public void Dispose() => _handle.Dispose();
}
