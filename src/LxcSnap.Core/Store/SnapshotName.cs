using System.Globalization;
using LxcSnap.Core.Containers;

namespace LxcSnap.Core.Store;

/// <summary>
/// A snapshot's name, <c>NAME_N</c>: version N of container NAME. It parses from the right, so
/// <c>web_1_3</c> is version 3 of <c>web_1</c>.
/// </summary>
public readonly record struct SnapshotName(string Container, int Version)
{
    public override string ToString() => $"{Container}_{Version.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// True for the canonical form only (<c>web_3</c>, not <c>web_03</c> or <c>web_+3</c>), so that
    /// one snapshot has exactly one name.
    /// </summary>
    public static bool TryParse(string? text, out SnapshotName name)
    {
        name = default;
        if (string.IsNullOrEmpty(text))
            return false;
        var separator = text.LastIndexOf('_');
        if (separator <= 0 || separator == text.Length - 1)
            return false;
        var digits = text[(separator + 1)..];
        if (!digits.All(char.IsAsciiDigit) || (digits.Length > 1 && digits[0] == '0'))
            return false;
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            return false;
        var container = text[..separator];
        if (ContainerName.Problem(container) is not null)
            return false;
        name = new SnapshotName(container, version);
        return true;
    }

    /// <summary>Parses or throws an <see cref="LxcSnapError.InvalidArgument"/> that shows the expected form.</summary>
    public static SnapshotName Parse(string? text)
    {
        if (TryParse(text, out var name))
            return name;
        throw new LxcSnapException(LxcSnapError.InvalidArgument,
            $"{Printable.Quote(text)} is not a snapshot name (expected NAME_N, for example web_3)",
            [new Remedy.RunCommand("lxc-snap -l NAME", "lists NAME's snapshots")]);
    }
}
