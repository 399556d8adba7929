using System.Diagnostics;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>
/// A comment is kept byte for byte, as the original tool and LXC keep it (they copy the file), and
/// listed as the original printed it; what is no regular file is refused before anything is made.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class CommentTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    public CommentTests() => _sandbox.CreateBusybox("web");

    public static TheoryData<string, byte[]> Comments => new()
    {
        { "a UTF-8 byte-order mark", [0xEF, 0xBB, 0xBF, .. "with a BOM\n"u8] },
        { "Latin-1 text", [.. "caf"u8, 0xE9, .. " cr"u8, 0xE8, .. "me\n"u8] },
        { "2048 bytes of binary data", RandomBytes(2048) },
        { "no newline at the end", [.. "last line"u8] },
        { "blank lines", [.. "one\n\n\nfour\n\n"u8] },
    };

    [Theory]
    [MemberData(nameof(Comments))]
    public void The_comment_file_is_kept_byte_for_byte(string what, byte[] comment)
    {
        var file = Path.Combine(_sandbox.Root, "comment");
        File.WriteAllBytes(file, comment);

        var result = PublishedCli.Run(_sandbox.Cli("-c", file, "web"));

        Assert.True(result.ExitCode == 0, $"{what}: {result}");
        Assert.Equal(comment, File.ReadAllBytes(Path.Combine(_sandbox.Snapshot("web_0").Directory, "comment")));
    }

    [Fact]
    public void The_listing_prints_each_line_of_the_comment_after_one_space_byte_for_byte()
    {
        var file = Path.Combine(_sandbox.Root, "comment");
        byte[] comment = [.. "first\n\n"u8, 0xE9, .. "\nlast"u8];
        File.WriteAllBytes(file, comment);
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("-c", file, "web")).ExitCode);

        var listing = StdoutBytes(_sandbox.Cli("-l", "web"));

        var timestamp = File.ReadAllText(Path.Combine(_sandbox.Snapshot("web_0").Directory, "ts"));
        byte[] expected = [.. System.Text.Encoding.UTF8.GetBytes($"web 0\t{timestamp}\nCommit comment:\n first\n \n "), 0xE9, .. "\n last\n"u8,
            .. System.Text.Encoding.UTF8.GetBytes(ThisMachine.MadeBy("snapshot") + "\n")];
        Assert.Equal(expected, listing);
    }

    [Fact]
    public void An_empty_comment_prints_only_the_heading()
    {
        var file = Path.Combine(_sandbox.Root, "comment");
        File.WriteAllBytes(file, []);
        Assert.Equal(0, PublishedCli.Run(_sandbox.Cli("-c", file, "web")).ExitCode);

        var listing = PublishedCli.Run(_sandbox.Cli("-l", "web")).Stdout;

        Assert.EndsWith($"\nCommit comment:\n{ThisMachine.MadeBy("snapshot")}\n", listing);
    }

    [Theory]
    [InlineData("/dev/zero", "it is not a regular file (a device, FIFO or socket)")]
    [InlineData("fifo", "it is not a regular file (a device, FIFO or socket)")]
    public void A_device_or_fifo_is_refused_at_once_and_nothing_is_made(string source, string reason)
    {
        var path = source.StartsWith('/') ? source : Path.Combine(_sandbox.Root, source);
        if (!source.StartsWith('/'))
            Shell.Check("mkfifo", path);
        var before = _sandbox.Fingerprint();
        var clock = Stopwatch.StartNew();

        var result = PublishedCli.Run(_sandbox.Cli("-c", path, "web"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cannot read comment file '{path}': {reason}. Nothing was snapshotted.", result.Stderr);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "reading the comment hung");
        Assert.Empty(before.Differences(_sandbox.Fingerprint()));
    }

    [Fact]
    public void A_comment_larger_than_a_mebibyte_is_refused()
    {
        var file = Path.Combine(_sandbox.Root, "comment");
        File.WriteAllBytes(file, new byte[1024 * 1024 + 1]);

        var result = PublishedCli.Run(_sandbox.Cli("-c", file, "web"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("it is larger than 1024 KiB", result.Stderr);
        Assert.False(Directory.Exists(_sandbox.Snapshot("web_0").Directory));
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(2048).NextBytes(bytes);
        return bytes;
    }

    /// <summary>stdout as bytes: a comment need not be text.</summary>
    private static byte[] StdoutBytes(string[] arguments)
    {
        using var process = Shell.Start(PublishedCli.Path, arguments);
        using var bytes = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(bytes);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return bytes.ToArray();
    }

    public void Dispose() => _sandbox.Dispose();
}
