using System.Text;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core.Copying;

/// <summary>
/// Writes a file of an overlay container's root filesystem without mounting it, with the result
/// overlayfs gives when the container writes it: the new content lands in the upper layer (the
/// delta), and what the file and its directories had in the lower layer (owner, mode, extended
/// attributes) is copied up first where the delta does not have them yet. It reads the layers as
/// overlayfs does: a character device 0/0 in the delta is a whiteout (the name was deleted), a
/// directory whose <c>overlay.opaque</c> attribute is "y" hides the lower layer's, and a
/// directory's <c>overlay.redirect</c> says where in the lower layer it came from (a renamed
/// directory). Both in the trusted namespace and, for overlays mounted with userxattr, in user.
/// Used for the one write liblxc's clone makes into a copy: its new /etc/hostname.
/// </summary>
internal static class OverlayUpperLayer
{
    /// <summary>Replaces the content of the regular file <paramref name="relativePath"/> of the merged view.</summary>
    /// <returns>False, and nothing written, when the merged view has no regular file there: absent, deleted, or a symlink or device.</returns>
    public static bool ReplaceContent(string lowerLayer, string upperLayer, string relativePath, string content)
    {
        var names = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var upper = upperLayer;
        string? lower = lowerLayer; // null once the lower layer is hidden
        for (var i = 0; i < names.Length - 1; i++)
        {
            var upperDirectory = Path.Combine(upper, names[i]);
            var lowerDirectory = lower is null ? null : Path.Combine(lower, names[i]);
            var inUpper = PosixFiles.TryStat(upperDirectory, out _);
            if (inUpper is not null)
            {
                if (inUpper.Kind != FileKind.Directory)
                    return false; // a whiteout, or something else than a directory: nothing below it is seen
                if (OverlayMarks.IsOpaque(upperDirectory))
                    lowerDirectory = null;
                else if (OverlayMarks.Attribute(upperDirectory, "redirect") is { } redirect)
                    lowerDirectory = redirect.StartsWith('/') ? lowerLayer + redirect : lower is null ? null : Path.Combine(lower, redirect);
            }
            else if (lowerDirectory is not null && PosixFiles.TryStat(lowerDirectory, out _) is { Kind: FileKind.Directory } inLower)
            {
                PosixFiles.MakeDirectory(upperDirectory);
                MetadataCopier.Apply(lowerDirectory, upperDirectory, inLower);
                DropOverlayAttributes(upperDirectory);
            }
            else
            {
                return false;
            }
            upper = upperDirectory;
            lower = lowerDirectory;
        }

        var upperFile = Path.Combine(upper, names[^1]);
        var bytes = Encoding.UTF8.GetBytes(content);
        var existing = PosixFiles.TryStat(upperFile, out _);
        if (existing is not null)
        {
            if (existing.Kind != FileKind.Regular)
                return false;
            File.WriteAllBytes(upperFile, bytes);
            // A metacopy file holds metadata only and takes its data from the lower layer: not any more.
            foreach (var space in OverlayMarks.Namespaces)
                PosixFiles.RemoveExtendedAttribute(upperFile, space + "metacopy");
            return true;
        }
        var lowerFile = lower is null ? null : Path.Combine(lower, names[^1]);
        if (lowerFile is null || PosixFiles.TryStat(lowerFile, out _) is not { Kind: FileKind.Regular } original)
            return false;
        using (var created = PosixFiles.CreateForWriting(upperFile))
        {
            RandomAccess.Write(created, bytes, 0);
            // Copied up, then written: the lower file's owner, mode and attributes, and the time of the write.
            MetadataCopier.Apply(created, lowerFile, upperFile, original, keepTimes: false);
        }
        DropOverlayAttributes(upperFile);
        return true;
    }

    /// <summary>As overlayfs copies up: its own attributes, which a lower layer may have from a stack of its own, stay behind.</summary>
    private static void DropOverlayAttributes(string path)
    {
        foreach (var (attribute, _) in PosixFiles.ReadExtendedAttributes(path))
        {
            if (OverlayMarks.IsOverlayAttribute(attribute))
                PosixFiles.RemoveExtendedAttribute(path, attribute);
        }
    }
}
