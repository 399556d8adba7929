using System.Text.Json;

namespace LxcSnap.Core;

/// <summary>The names of <see cref="LxcSnapError"/> values as lxc-snap's <c>--json</c> errors carry them (<c>snapshotNotFound</c>).</summary>
public static class LxcSnapErrors
{
    /// <summary>A parse error of lxc-snap's command line: the caller's arguments were wrong.</summary>
    public const string UsageKind = "usage";

    public static string KindOf(LxcSnapError error) => JsonNamingPolicy.CamelCase.ConvertName(error.ToString());

    /// <summary>The error a JSON kind names; a kind this version does not know is <see cref="LxcSnapError.LxcFailed"/>.</summary>
    public static LxcSnapError FromKind(string? kind) =>
        kind == UsageKind ? LxcSnapError.InvalidArgument
        : Enum.GetValues<LxcSnapError>().FirstOrDefault(e => KindOf(e) == kind, LxcSnapError.LxcFailed);
}
