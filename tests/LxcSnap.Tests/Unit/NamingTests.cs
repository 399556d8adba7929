using LxcSnap.Core;
using LxcSnap.Core.Containers;
using LxcSnap.Core.Store;

namespace LxcSnap.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class NamingTests
{
    [Theory]
    [InlineData("web_3", "web", 3)]
    [InlineData("web_1_3", "web_1", 3)]
    [InlineData("my-db_0", "my-db", 0)]
    [InlineData("a_2147483647", "a", int.MaxValue)]
    public void Snapshot_names_parse_from_the_right(string text, string container, int version)
    {
        Assert.True(SnapshotName.TryParse(text, out var name));
        Assert.Equal(new SnapshotName(container, version), name);
        Assert.Equal(text, name.ToString());
    }

    [Theory]
    [InlineData("web")]
    [InlineData("web_")]
    [InlineData("_3")]
    [InlineData("web_03")]
    [InlineData("web_+3")]
    [InlineData("web_-3")]
    [InlineData("web_3a")]
    [InlineData("web_99999999999")]
    [InlineData("../x_1")]
    [InlineData("")]
    public void Anything_but_a_canonical_NAME_N_is_not_a_snapshot_name(string text)
    {
        Assert.False(SnapshotName.TryParse(text, out _));
        var error = Assert.Throws<LxcSnapException>(() => SnapshotName.Parse(text));
        Assert.Equal(LxcSnapError.InvalidArgument, error.Error);
        Assert.Contains("expected NAME_N", error.Message);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(".", "directory reference")]
    [InlineData("..", "directory reference")]
    [InlineData("a/b", "contains '/'")]
    [InlineData(".hidden", "starts with '.'")]
    [InlineData("-x", "starts with '-'")]
    [InlineData("two words", "whitespace")]
    [InlineData("line\nbreak", "whitespace or control")]
    public void Container_names_that_would_break_paths_or_LXC_files_are_refused(string name, string reason)
    {
        Assert.Contains(reason, ContainerName.Problem(name));
        var error = Assert.Throws<LxcSnapException>(() => ContainerName.Validate(name, "container"));
        Assert.StartsWith($"invalid container name '{name.Replace("\n", "\\n", StringComparison.Ordinal)}'", error.Message);
    }

    [Fact]
    public void Container_names_stop_at_the_hostname_length()
    {
        Assert.Null(ContainerName.Problem(new string('a', ContainerName.MaxLength)));
        Assert.Contains("longer than 64 bytes", ContainerName.Problem(new string('a', ContainerName.MaxLength + 1)));
    }

    [Theory]
    [InlineData("mysql")]
    [InlineData("web_1")]
    [InlineData("ubuntu-24.04")]
    public void Ordinary_names_are_accepted(string name) => Assert.Null(ContainerName.Problem(name));
}
