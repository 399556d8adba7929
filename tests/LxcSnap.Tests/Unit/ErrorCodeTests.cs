using System.Text.Json;
using LxcSnap.Core;
using LxcSnap.Tasks;

namespace LxcSnap.Tests.Unit;

/// <summary>Every kind of error lxc-snap reports has an MSBuild code of its own: a new kind cannot silently become LXS011.</summary>
public sealed class ErrorCodeTests
{
    /// <summary>The kinds that are, by their meaning, "lxc-snap failed for another reason".</summary>
    private static readonly LxcSnapError[] Unspecific = [LxcSnapError.LxcFailed, LxcSnapError.FilesystemFailed];

    public static TheoryData<LxcSnapError> Errors => new(Enum.GetValues<LxcSnapError>());

    [Theory]
    [MemberData(nameof(Errors))]
    public void Each_error_kind_maps_to_its_own_code(LxcSnapError error)
    {
        var code = ErrorCodes.ForKind(JsonNamingPolicy.CamelCase.ConvertName(error.ToString()));

        if (Unspecific.Contains(error))
            Assert.Equal(ErrorCodes.LxcSnapFailed, code);
        else
            Assert.NotEqual(ErrorCodes.LxcSnapFailed, code);
    }

    [Fact]
    public void Permission_denied_and_foreign_content_have_codes_of_their_own()
    {
        Assert.Equal("LXS014", ErrorCodes.ForKind("permissionDenied"));
        Assert.Equal("LXS015", ErrorCodes.ForKind("foreignContent"));
    }
}
