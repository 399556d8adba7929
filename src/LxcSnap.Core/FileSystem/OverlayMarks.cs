using System.Text;
using LxcSnap.Core.Interop;

namespace LxcSnap.Core;

/// <summary>
/// How overlayfs marks, in a layer, what the merged view does not show: a character device 0/0
/// is a whiteout (the name was deleted), a directory whose <c>overlay.opaque</c> attribute is "y"
/// hides the same directory of the layers below, and a directory's <c>overlay.redirect</c> says
/// where in the layers below it came from (a renamed directory). The attributes are in the trusted
/// namespace or, for overlays mounted with userxattr, in user. Every <c>overlay.*</c> attribute is
/// overlayfs's own bookkeeping (also origin, impure, metacopy), never seen in the merged view.
/// </summary>
internal static class OverlayMarks
{
    public static readonly string[] Namespaces = ["trusted.overlay.", "user.overlay."];

    /// <summary>True for an attribute overlayfs keeps for itself in a layer.</summary>
    public static bool IsOverlayAttribute(string attribute) =>
        Namespaces.Any(space => attribute.StartsWith(space, StringComparison.Ordinal));

    public static bool IsWhiteout(FileStatus status) => status is { Kind: FileKind.CharacterDevice, DeviceNumber: 0 };

    /// <summary>The directory hides the same directory of the layers below.</summary>
    public static bool IsOpaque(string directory) => Attribute(directory, "opaque") == "y";

    /// <summary>overlayfs's attribute <paramref name="name"/> of an entry in a layer, in either namespace; null when it has none.</summary>
    public static string? Attribute(string path, string name)
    {
        foreach (var (attribute, value) in PosixFiles.ReadExtendedAttributes(path))
        {
            if (Namespaces.Any(space => attribute == space + name))
                return Encoding.UTF8.GetString(value).TrimEnd('\0');
        }
        return null;
    }
}
