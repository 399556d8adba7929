using LxcSnap.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace LxcSnap.Core;

/// <summary>
/// Removes a directory tree and nothing outside it: <c>rm -rf --one-file-system</c>, made safe
/// against what a hostile or corrupt tree can hold. Every directory is opened by descriptor
/// without following symlinks and its entries removed relative to that descriptor, so a symlink
/// anywhere in the tree (or swapped in while we work) is removed as a link and never followed.
/// A directory on another file system (a mount point inside the tree) stops the removal with an
/// error naming it: whatever is mounted there is not ours to delete. A btrfs subvolume inside the
/// tree is part of it (a rootfs liblxc snapshotted, left by a run killed before its config named
/// it) and is removed with it: emptied, then removed with rmdir as any directory. Entries that
/// vanish while we work (another process removing the same tree) are not errors.
/// </summary>
internal static class TreeRemoval
{
    public static void Remove(string path)
    {
        path = Path.GetFullPath(path).TrimEnd('/');
        var status = PosixFiles.TryStat(path, out var errno);
        if (status is null)
        {
            if (errno == Errno.ENOENT)
                return;
            throw new FileSystemCallException("stat", path, errno);
        }
        if (status.Kind != FileKind.Directory)
        {
            PosixDirectories.RemoveEntry(null, path, isDirectory: false, path);
            return;
        }
        using (var root = PosixDirectories.OpenDirectory(null, path, path))
        {
            if (root is null)
                return;
            RemoveContents(root, path, status.Identity.Device);
        }
        PosixDirectories.RemoveEntry(null, path, isDirectory: true, path);
    }

    private static void RemoveContents(SafeFileHandle directory, string displayPath, ulong device)
    {
        foreach (var (name, type) in PosixDirectories.ReadEntries(directory, displayPath))
        {
            var childPath = displayPath + "/" + name;
            var isDirectory = type == DirectoryNative.TypeDirectory;
            var childDevice = device;
            if (type is DirectoryNative.TypeDirectory or DirectoryNative.TypeUnknown)
            {
                var status = PosixDirectories.StatEntry(directory, name, childPath);
                if (status is null)
                    continue;
                isDirectory = status.Kind == FileKind.Directory;
                if (isDirectory && status.Identity.Device != device && !status.IsSubvolumeRoot)
                {
                    throw new LxcSnapException(LxcSnapError.FilesystemFailed,
                        $"{childPath} is a mount point (another file system): lxc-snap removes only what lies on the file system of {displayPath}. Unmount it, then run lxc-snap again.");
                }
                childDevice = status.Identity.Device;
            }
            if (isDirectory)
            {
                using var child = PosixDirectories.OpenDirectory(directory, name, childPath);
                if (child is null)
                    continue;
                RemoveContents(child, childPath, childDevice);
            }
            PosixDirectories.RemoveEntry(directory, name, isDirectory, childPath);
            CrashPoints.Reach("tree-removal.entry");
        }
    }
}
