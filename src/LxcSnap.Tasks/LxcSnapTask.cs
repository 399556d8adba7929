using System.Text.Json;
using LxcSnap.Core;
using LxcSnap.Core.Client;
using LxcSnap.Core.Containers;
using LxcSnap.Core.Store;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace LxcSnap.Tasks;

/// <summary>
/// What every LxcSnap task shares: where the containers and the store are, how lxc-snap is run,
/// input checks before anything runs, and errors with stable LXS codes.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001",
    Justification = "MSBuild never disposes tasks; the token source holds no timer and lives as long as the task.")]
public abstract class LxcSnapTask : MSBuildTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>The containers' lxcpath; empty for LXC's default (usually /var/lib/lxc).</summary>
    public string? LxcPath { get; set; }

    /// <summary>The snapshot store; empty for lxc-snap's default (LXCPATH + "snaps").</summary>
    public string? SnapshotPath { get; set; }

    /// <summary>lxc-snap to run: the package's own lxc-snap.dll unless set (an lxc-snap executable works too).</summary>
    [Required]
    public string CliPath { get; set; } = "";

    protected CancellationToken Cancellation => _cancellation.Token;

    /// <summary>Ctrl+C: lxc-snap is asked to stop and given time to leave everything consistent.</summary>
    public void Cancel() => _cancellation.Cancel();

    public sealed override bool Execute()
    {
        try
        {
            return Run() && !Log.HasLoggedErrors;
        }
        catch (LxcSnapProcessException e)
        {
            Error(ErrorCodes.CannotRunLxcSnap, $"{e.Message} Set LxcSnapCliPath to an lxc-snap executable or lxc-snap.dll; the package's lxc-snap needs .NET 8 or newer.");
            return false;
        }
    }

    /// <summary>The task's work; false (with an error logged) on failure.</summary>
    protected abstract bool Run();

    /// <summary>Runs lxc-snap with the shared options; logs its failure with the matching LXS code.</summary>
    protected JsonElement? RunLxcSnap(params string[] arguments)
    {
        try
        {
            return LxcSnap().Run(arguments, Cancellation);
        }
        catch (LxcSnapException e)
        {
            Error(e);
            return null;
        }
    }

    /// <summary>lxc-snap as a process of its own, with this task's lxcpath and store; its notes go to the build log.</summary>
    private protected LxcSnapProcessSteps LxcSnap() =>
        new(CliPath, NonEmpty(LxcPath), NonEmpty(SnapshotPath), line => Log.LogMessage(MessageImportance.Normal, line),
            new LxcSnapCaller(Provenance.MSBuildTool, ProvenanceDetail));

    /// <summary>What the snapshots this task takes record of it: the task and the project that runs it.</summary>
    private protected virtual string ProvenanceDetail => $"{GetType().Name} task, project {BuildEngine.ProjectFileOfTaskNode}";

    /// <summary>Logs an lxc-snap failure with its LXS code, its remedies worded as MSBuild properties and task parameters.</summary>
    private protected void Error(LxcSnapException error) => Error(ErrorCodes.For(error.Error), MSBuildWording.Instance.Message(error));

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Logs an LXS error at the task's place in the project file, linked to the code's explanation.</summary>
    protected void Error(string code, string message) =>
        Log.LogError(null, code, null, ErrorCodes.HelpLink(code), BuildEngine.ProjectFileOfTaskNode, BuildEngine.LineNumberOfTaskNode, BuildEngine.ColumnNumberOfTaskNode, 0, 0,
            "{0}", message);

    protected void Warning(string code, string message) =>
        Log.LogWarning(null, code, null, ErrorCodes.HelpLink(code), BuildEngine.ProjectFileOfTaskNode, BuildEngine.LineNumberOfTaskNode, BuildEngine.ColumnNumberOfTaskNode, 0, 0,
            "{0}", message);

    /// <summary>Checks a container name with lxc-snap's own rules before anything runs.</summary>
    protected bool ValidContainer(string? name, string parameter)
    {
        var problem = ContainerName.Problem(name);
        if (problem is null)
            return true;
        Error(ErrorCodes.InvalidInput, $"{parameter} '{name}' is not a valid container name: {problem}.");
        return false;
    }

    /// <summary>A true/false property: empty is false; anything but the words MSBuild reads as a boolean is refused, naming the property.</summary>
    protected bool TryFlag(string? value, string property, out bool flag)
    {
        var word = value?.Trim().ToLowerInvariant() ?? "";
        flag = word is "true" or "yes" or "on";
        if (word is "" or "true" or "yes" or "on" or "false" or "no" or "off")
            return true;
        Error(ErrorCodes.InvalidInput, $"{property} is '{value}': set it to true or false.");
        return false;
    }

    /// <summary>Checks a snapshot name (NAME_N) before anything runs.</summary>
    protected bool ValidSnapshot(string? name, string parameter)
    {
        if (SnapshotName.TryParse(name, out _))
            return true;
        Error(ErrorCodes.InvalidInput, $"{parameter} '{name}' is not a snapshot name: expected NAME_N, for example web_3.");
        return false;
    }

    protected static ITaskItem SnapshotItem(JsonElement snapshot)
    {
        var item = new TaskItem(snapshot.GetProperty("name").GetString());
        item.SetMetadata("Container", snapshot.GetProperty("container").GetString());
        item.SetMetadata("Version", snapshot.GetProperty("version").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        item.SetMetadata("Timestamp", Text(snapshot, "timestamp"));
        item.SetMetadata("Time", Text(snapshot, "time"));
        item.SetMetadata("Comment", Text(snapshot, "comment").TrimEnd('\n'));
        item.SetMetadata("BackingStore", Text(snapshot, "backingStore"));
        item.SetMetadata("Path", Text(snapshot, "path"));
        return item;
    }

    protected static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
