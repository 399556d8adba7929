using LxcSnap.Cli;
using LxcSnap.Core.Copying;

namespace LxcSnap.Tests.Unit;

/// <summary>The progress line's words and numbers (a real terminal shows it: CommandLineBehaviourTests).</summary>
[Trait("Category", "Unit")]
public sealed class ProgressDisplayTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(999, "999 B")]
    [InlineData(1000, "1.0 kB")]
    [InlineData(412_000_000, "412.0 MB")]
    [InlineData(1_000_000_000, "1.0 GB")]
    public void Sizes_read_as_people_read_them(long bytes, string shown) =>
        Assert.Equal(shown, ProgressDisplay.Size(bytes));

    [Fact]
    public void A_copy_under_way_shows_bytes_files_rate_and_time_left() =>
        Assert.Equal("412.0 MB of 1.0 GB, 8,210 of 19,100 files, 206.0 MB/s, about 3 s left",
            ProgressDisplay.Line(new CopyProgress(412_000_000, 1_000_000_000, 8210, 19100), TimeSpan.FromSeconds(2)));

    [Fact]
    public void A_finished_copy_says_it_is_being_flushed() =>
        Assert.Equal("1.0 GB in 19,100 files copied, flushing them to disk",
            ProgressDisplay.Line(new CopyProgress(1_000_000_000, 1_000_000_000, 19100, 19100), TimeSpan.FromSeconds(5)));
}
