using System.Reflection;
using LxcSnap.Core;

namespace LxcSnap.Tasks;

/// <summary>
/// The stable codes of the LxcSnap tasks' errors and warnings (docs/msbuild.md: "Error codes").
/// Users suppress or promote them by code, so a code never changes meaning.
/// </summary>
internal static class ErrorCodes
{
    public const string InvalidInput = "LXS001";
    public const string ContainerNotFound = "LXS002";
    public const string SnapshotNotFound = "LXS003";
    public const string ContainerRunning = "LXS004";
    public const string TargetExists = "LXS005";
    public const string SnapshotInUse = "LXS006";
    public const string LxcUnavailable = "LXS007";
    public const string TransactionConflict = "LXS008";
    public const string ProvisioningFailedRestored = "LXS009";
    public const string RollbackFailed = "LXS010";
    public const string LxcSnapFailed = "LXS011";
    public const string CannotRunLxcSnap = "LXS012";
    public const string Cancelled = "LXS013";
    public const string PermissionDenied = "LXS014";
    public const string ForeignContent = "LXS015";

    /// <summary>Warning: a build interrupted during provisioning left its transaction open; it was rolled back first.</summary>
    public const string InterruptedTransactionRolledBack = "LXS101";

    /// <summary>Warning: an LxcSnapProvisioningInputs item is missing or a directory, so provisioning is never up to date.</summary>
    public const string InputNotAFile = "LXS102";

    /// <summary>The page that explains the codes, as the package's build knew it (ErrorCodesUrl in LxcSnap.Tasks.csproj).</summary>
    private static readonly string? ErrorCodesUrl = typeof(ErrorCodes).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "ErrorCodesUrl" && !string.IsNullOrWhiteSpace(a.Value))?.Value;

    /// <summary>
    /// Where <paramref name="code"/> is explained, for IDEs and the binary log to link to: its row in
    /// docs/msbuild.md, whose anchors are the codes in lower case.
    /// </summary>
    public static string? HelpLink(string code) => ErrorCodesUrl is null ? null : $"{ErrorCodesUrl}#{code.ToLowerInvariant()}";

    /// <summary>
    /// The code for an lxc-snap failure. Every kind is named: a new one that is not fails the
    /// build of this project (CS8524 is an error here), instead of silently becoming LXS011.
    /// </summary>
#pragma warning disable CS8524 // every named value is handled; only a cast integer could fall through
    public static string For(LxcSnapError error) => error switch
    {
        LxcSnapError.InvalidArgument or LxcSnapError.CommentUnreadable => InvalidInput,
        LxcSnapError.ContainerNotFound => ContainerNotFound,
        LxcSnapError.SnapshotNotFound => SnapshotNotFound,
        LxcSnapError.ContainerRunning => ContainerRunning,
        LxcSnapError.TargetExists => TargetExists,
        LxcSnapError.SnapshotInUse => SnapshotInUse,
        LxcSnapError.LxcUnavailable => LxcUnavailable,
        LxcSnapError.TransactionConflict or LxcSnapError.TransactionNotFound => TransactionConflict,
        LxcSnapError.RollbackFailed => RollbackFailed,
        LxcSnapError.Interrupted => Cancelled,
        LxcSnapError.PermissionDenied => PermissionDenied,
        LxcSnapError.ForeignContent => ForeignContent,
        LxcSnapError.LxcFailed or LxcSnapError.FilesystemFailed => LxcSnapFailed,
    };
#pragma warning restore CS8524
}
