namespace LxcSnap.Core.Store;

/// <summary>
/// A snapshot's comment, byte for byte as its comment file held it: the original lxc-snap and
/// LXC copy the file, so a BOM, Latin-1 text or binary data all survive unchanged.
/// </summary>
public sealed class SnapshotComment : IEquatable<SnapshotComment>
{
    private readonly byte[] _bytes;

    public SnapshotComment(ReadOnlySpan<byte> bytes) => _bytes = bytes.ToArray();

    public static SnapshotComment FromText(string text) => new(System.Text.Encoding.UTF8.GetBytes(text));

    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The comment as text: UTF-8, with any byte that is not UTF-8 shown as U+FFFD. For JSON and messages; the bytes stay as they were.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(_bytes);

    public bool Equals(SnapshotComment? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as SnapshotComment);

    public override int GetHashCode() => _bytes.Length;

    public override string ToString() => Text;
}
