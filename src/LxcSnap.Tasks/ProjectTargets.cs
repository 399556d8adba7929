using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;

namespace LxcSnap.Tasks;

/// <summary>
/// Which targets a project defines. The build engine offers tasks no way to ask, and building a
/// target that does not exist fails only once it is reached (MSB4057): for the guard, that is
/// after the before snapshot and with a restore to follow. So the project is evaluated once more,
/// with the build's global properties, as the build evaluated it.
/// </summary>
internal static class ProjectTargets
{
    /// <summary>
    /// The names of <paramref name="wanted"/> that <paramref name="project"/> does not define, and
    /// every target it does; or why it could not tell (the project could not be evaluated here).
    /// </summary>
    public static (IReadOnlyList<string> Missing, IReadOnlyCollection<string> Defined, string? Unknown) Check(string project, IEnumerable<string> wanted,
        IDictionary<string, string> globalProperties)
    {
        try
        {
            using var collection = new ProjectCollection(globalProperties);
            var instance = new ProjectInstance(project, globalProperties, toolsVersion: null, collection);
            // MSBuild's target names ignore case, and so does this dictionary.
            var missing = wanted.Where(target => !instance.Targets.ContainsKey(target)).ToList();
            return (missing, instance.Targets.Keys.ToList(), null);
        }
        catch (Exception e) when (e is Microsoft.Build.Exceptions.InvalidProjectFileException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return ([], [], e.Message);
        }
    }
}
