using LxcSnap.Core.Interop;

namespace LxcSnap.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class LxcLogTests
{
    [Theory]
    [InlineData("lxc-snap lxc-snap 20261201210148.649 ERROR    lxccontainer - ../src/lxc/lxccontainer.c:do_lxcapi_clone:3797 - error: Original container (ov_235) is running.",
        "do_lxcapi_clone: error: Original container (ov_235) is running.")]
    [InlineData("lxc-snap 20261128134512.123 ERROR    storage - storage/storage.c:storage_copy:331 - Error copying storage",
        "storage_copy: Error copying storage")]
    [InlineData("not a log line", "not a log line")]
    public void Liblxc_log_lines_are_shortened_to_function_and_text(string line, string shortened) =>
        Assert.Equal(shortened, LxcLog.Shorten(line));
}
