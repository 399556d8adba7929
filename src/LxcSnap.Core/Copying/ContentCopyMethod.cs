namespace LxcSnap.Core.Copying;

/// <summary>How a file's contents were copied, fastest first. A tree copy reports every method it used.</summary>
[Flags]
public enum ContentCopyMethod
{
    None = 0,

    /// <summary>FICLONE: the copy shares the source's extents (XFS with reflink=1, btrfs); no data moves.</summary>
    Reflink = 1,

    /// <summary>copy_file_range: the kernel copies the data, holes kept by copying only the data ranges.</summary>
    CopyFileRange = 2,

    /// <summary>pread/pwrite, where neither of the above works.</summary>
    ReadWrite = 4,

    /// <summary>liblxc's clone, which copies with <c>rsync -aHXS</c> (containers with clone hooks, backing stores lxc-snap does not copy itself).</summary>
    LiblxcRsync = 8,
}

public static class ContentCopyMethodText
{
    /// <summary>"reflink", "copy_file_range", "reflink + copy_file_range", ...; "metadata only" for a tree without file data.</summary>
    public static string Describe(this ContentCopyMethod methods)
    {
        var names = Each(methods).Select(method => method switch
        {
            ContentCopyMethod.Reflink => "reflink",
            ContentCopyMethod.CopyFileRange => "copy_file_range",
            ContentCopyMethod.ReadWrite => "read/write",
            _ => "liblxc rsync",
        }).ToList();
        return names.Count == 0 ? "metadata only" : string.Join(" + ", names);
    }

    /// <summary>The single methods in <paramref name="methods"/>, fastest first.</summary>
    public static IEnumerable<ContentCopyMethod> Each(this ContentCopyMethod methods) =>
        Enum.GetValues<ContentCopyMethod>().Where(method => method != ContentCopyMethod.None && methods.HasFlag(method));
}
