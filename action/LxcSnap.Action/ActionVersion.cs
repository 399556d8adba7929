using System.Reflection;

namespace LxcSnap.Action;

/// <summary>
/// The action's version, as the build stamped it into the assembly (the informational version,
/// which the SDK makes from the project's Version): the same text in the log, in
/// <c>lxcsnap-action --version</c> and in the release workflow's check of the image it pushes.
/// </summary>
internal static class ActionVersion
{
    public static string Text { get; } =
        typeof(ActionVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
