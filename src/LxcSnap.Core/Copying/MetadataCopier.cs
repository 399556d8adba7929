using LxcSnap.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace LxcSnap.Core.Copying;

/// <summary>
/// Gives a copied entry its source's owner, mode, extended attributes and times, in the one order
/// that keeps them all: chown first (it clears setuid/setgid and security.capability), then the
/// mode, then the xattrs, then atime/mtime last (everything before changes them).
/// </summary>
internal static class MetadataCopier
{
    /// <summary>For a regular file still open for writing.</summary>
    /// <param name="keepTimes">False for a file written with new content, which keeps the time of that write.</param>
    public static void Apply(SafeFileHandle destination, string sourcePath, string destinationPath, FileStatus status, bool keepTimes = true)
    {
        PosixFiles.SetOwner(destination, status.Uid, status.Gid, destinationPath);
        PosixFiles.SetPermissions(destination, status.Permissions, destinationPath);
        CopyExtendedAttributes(sourcePath, destinationPath);
        if (keepTimes)
            PosixFiles.SetTimes(destination, status.AccessTime, status.ModificationTime, destinationPath);
    }

    /// <summary>For a directory, symlink, device node, fifo or socket, by path (a symlink itself, never its target).</summary>
    public static void Apply(string sourcePath, string destinationPath, FileStatus status)
    {
        PosixFiles.SetOwner(destinationPath, status.Uid, status.Gid);
        if (status.Kind != FileKind.Symlink) // a symlink's mode is always 0777 and chmod would follow it
            PosixFiles.SetPermissions(destinationPath, status.Permissions);
        CopyExtendedAttributes(sourcePath, destinationPath);
        PosixFiles.SetTimes(destinationPath, status.AccessTime, status.ModificationTime);
    }

    private static void CopyExtendedAttributes(string sourcePath, string destinationPath)
    {
        foreach (var (name, value) in PosixFiles.ReadExtendedAttributes(sourcePath))
            PosixFiles.WriteExtendedAttribute(destinationPath, name, value);
    }
}
