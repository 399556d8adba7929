namespace LxcSnap.Core.Containers;

/// <summary>Asks which filesystem a path lies on.</summary>
internal static class FileSystemProbe
{
    public static bool IsBtrfs(string path)
    {
        try
        {
            return string.Equals(new DriveInfo(path).DriveFormat, "btrfs", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
