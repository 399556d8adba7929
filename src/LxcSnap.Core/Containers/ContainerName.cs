namespace LxcSnap.Core.Containers;

/// <summary>
/// The rules a container name must follow here. liblxc itself accepts almost anything that is
/// not a slash; we also refuse what would break a path, a hostname, our own hidden directories
/// or the line-based formats LXC keeps (lxc_rdepends, lxc_snapshots).
/// </summary>
public static class ContainerName
{
    /// <summary>liblxc sets the hostname (lxc.uts.name) from the name, and hostnames stop at 64 bytes.</summary>
    public const int MaxLength = 64;

    /// <summary>Returns the reason <paramref name="name"/> is not acceptable, or null when it is.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return "it is empty";
        if (name is "." or "..")
            return $"{Printable.Quote(name)} is a directory reference";
        if (name.Contains('/'))
            return "it contains '/'";
        if (name.StartsWith('.'))
            return "it starts with '.' (names starting with '.' are reserved for lxc-snap's own files)";
        if (name.StartsWith('-'))
            return "it starts with '-'";
        if (name.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            return "it contains whitespace or control characters";
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxLength)
            return $"it is longer than {MaxLength} bytes (LXC uses the name as the hostname)";
        return null;
    }

    /// <summary>Throws <see cref="LxcSnapError.InvalidArgument"/> naming <paramref name="role"/> when invalid.</summary>
    public static string Validate(string? name, string role)
    {
        var problem = Problem(name);
        if (problem is not null)
            throw new LxcSnapException(LxcSnapError.InvalidArgument, $"invalid {role} name {Printable.Quote(name)}: {problem}.");
        return name!;
    }
}
