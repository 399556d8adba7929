namespace LxcSnap.Cli;

/// <summary>Writes bytes that are not necessarily text (a snapshot's comment) to stdout exactly as they are.</summary>
internal static class RawOutput
{
    /// <summary>
    /// A writer over a stream (stdout) gets the bytes unchanged, after what it holds in its
    /// buffer; any other writer (a test's StringWriter) gets them as UTF-8 text.
    /// </summary>
    public static void Write(TextWriter writer, ReadOnlySpan<byte> bytes)
    {
        if (writer is StreamWriter { BaseStream: { } stream })
        {
            writer.Flush();
            stream.Write(bytes);
            return;
        }
        writer.Write(System.Text.Encoding.UTF8.GetString(bytes));
    }
}
