namespace LxcSnap.Tests.Infrastructure;

/// <summary>
/// Held while a test builds this repository's projects (publishing lxc-snap, packing the tasks):
/// two builds of the same projects at once would write the same obj folders.
/// </summary>
public static class RepositoryBuild
{
    public static readonly object Lock = new();
}
