using LxcSnap.Core;
using LxcSnap.Core.Retention;

namespace LxcSnap.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class DurationTextTests
{
    [Theory]
    [InlineData("45s", 0, 0, 0, 45)]
    [InlineData("30m", 0, 0, 30, 0)]
    [InlineData("12h", 0, 12, 0, 0)]
    [InlineData("7d", 7, 0, 0, 0)]
    [InlineData("2w", 14, 0, 0, 0)]
    [InlineData("1d12h", 1, 12, 0, 0)]
    public void Durations_parse_as_people_type_them(string text, int days, int hours, int minutes, int seconds)
    {
        var expected = new TimeSpan(days, hours, minutes, seconds);
        Assert.Equal(expected, DurationText.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("d")]
    [InlineData("1y")]
    [InlineData("-1d")]
    [InlineData("1.5h")]
    public void Anything_else_is_refused_with_examples(string text)
    {
        var error = Assert.Throws<LxcSnapException>(() => DurationText.Parse(text));
        Assert.Contains("for example 30m, 12h, 7d or 1d12h", error.Message);
    }

    [Theory]
    [InlineData("1d12h")]
    [InlineData("30m")]
    [InlineData("0s")]
    [InlineData("2d3h4m5s")]
    public void Formatting_gives_back_what_parses(string text) =>
        Assert.Equal(DurationText.Parse(text), DurationText.Parse(DurationText.Format(DurationText.Parse(text))));
}
