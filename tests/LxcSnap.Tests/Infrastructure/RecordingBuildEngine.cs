using System.Collections;
using Microsoft.Build.Framework;

namespace LxcSnap.Tests.Infrastructure;

/// <summary>
/// A build engine that records what tasks log, for running the LxcSnap tasks outside MSBuild.
/// <see cref="BuildTargets"/> stands in for MSBuild building the provisioning targets.
/// </summary>
public sealed class RecordingBuildEngine : IBuildEngine6
{
    public List<BuildErrorEventArgs> Errors { get; } = [];
    public List<BuildWarningEventArgs> Warnings { get; } = [];
    public List<string> Messages { get; } = [];

    /// <summary>Called for BuildProjectFile: receives the targets, returns whether they succeeded.</summary>
    public Func<string[], bool> BuildTargets { get; set; } = _ => true;

    public List<string[]> BuiltTargets { get; } = [];

    public bool ContinueOnError => false;
    public int LineNumberOfTaskNode => 12;
    public int ColumnNumberOfTaskNode => 5;
    public string ProjectFileOfTaskNode => "/src/provision.proj";
    public bool IsRunningMultipleNodes => false;

    public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);
    public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);
    public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e.Message ?? "");
    public void LogCustomEvent(CustomBuildEventArgs e) => Messages.Add(e.Message ?? "");
    public void LogTelemetry(string eventName, IDictionary<string, string> properties) { }

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs)
    {
        BuiltTargets.Add(targetNames);
        return BuildTargets(targetNames);
    }

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs, string toolsVersion) =>
        BuildProjectFile(projectFileName, targetNames, globalProperties, targetOutputs);

    public bool BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IDictionary[] targetOutputsPerProject, string[] toolsVersion, bool useResultsCache, bool unloadProjectsOnCompletion) =>
        throw new NotSupportedException();

    public BuildEngineResult BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IList<string>[] removeGlobalProperties, string[] toolsVersion, bool returnTargetOutputs) =>
        throw new NotSupportedException();

    public void Yield() { }
    public void Reacquire() { }
    public void RegisterTaskObject(object key, object obj, RegisteredTaskObjectLifetime lifetime, bool allowEarlyCollection) { }
    public object? GetRegisteredTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => null;
    public object? UnregisterTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => null;
    public IReadOnlyDictionary<string, string> GetGlobalProperties() => new Dictionary<string, string>();

    /// <summary>The codes of the errors logged, in order.</summary>
    public IEnumerable<string> ErrorCodes => Errors.Select(e => e.Code);
}
