using LxcSnap.Core.Interop;

namespace LxcSnap.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class LxcVersionTests
{
    [Theory]
    [InlineData("5.0.2", "5.0.2")]
    [InlineData("4.0.12~devel", "4.0.12")]
    [InlineData("6.0.0-rc1", "6.0.0")]
    [InlineData("1.1", "1.1.0")]
    public void Lxc_version_strings_parse_ignoring_suffixes(string text, string expected) =>
        Assert.Equal(Version.Parse(expected), LxcLibrary.ParseVersion(text));

    [Theory]
    [InlineData("")]
    [InlineData("devel")]
    [InlineData("5")]
    public void Unparsable_versions_are_null(string text) => Assert.Null(LxcLibrary.ParseVersion(text));

    [Fact]
    public void Versions_before_the_last_struct_layout_change_are_below_the_minimum()
    {
        Assert.True(LxcLibrary.ParseVersion("1.1.2") < LxcLibrary.Minimum);
        Assert.False(LxcLibrary.ParseVersion("1.1.3") < LxcLibrary.Minimum);
    }
}
