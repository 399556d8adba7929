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
}

public static class ContentCopyMethodText
{
    /// <summary>"reflink", "copy_file_range", "reflink + copy_file_range", ...; "metadata only" for a tree without file data.</summary>
    public static string Describe(this ContentCopyMethod methods)
    {
        var names = new List<string>();
        if (methods.HasFlag(ContentCopyMethod.Reflink))
            names.Add("reflink");
        if (methods.HasFlag(ContentCopyMethod.CopyFileRange))
            names.Add("copy_file_range");
        if (methods.HasFlag(ContentCopyMethod.ReadWrite))
            names.Add("read/write");
        return names.Count == 0 ? "metadata only" : string.Join(" + ", names);
    }
}
