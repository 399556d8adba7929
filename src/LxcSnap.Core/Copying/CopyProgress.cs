namespace LxcSnap.Core.Copying;

/// <summary>How far a tree copy is: bytes of file content and entries (files, links, nodes) copied, of all there are.</summary>
public readonly record struct CopyProgress(long BytesDone, long BytesTotal, int EntriesDone, int EntriesTotal);
