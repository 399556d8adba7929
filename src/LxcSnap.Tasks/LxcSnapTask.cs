using System.Text.Json;
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
            Error(ErrorCodes.CannotRunLxcSnap, e.Message);
            return false;
        }
    }

    /// <summary>The task's work; false (with an error logged) on failure.</summary>
    protected abstract bool Run();

    /// <summary>Runs lxc-snap with the shared options; logs its failure with the matching LXS code.</summary>
    protected JsonElement? RunLxcSnap(params string[] arguments)
    {
        var outcome = RunLxcSnapOutcome(arguments);
        if (outcome.Succeeded)
            return outcome.Json;
        Error(ErrorCodes.ForKind(outcome.ErrorKind), outcome.ErrorMessage);
        return null;
    }

    /// <summary>Runs lxc-snap and returns what happened, logging nothing but its progress notes.</summary>
    private protected LxcSnapOutcome RunLxcSnapOutcome(params string[] arguments) => RunLxcSnapOutcome(cancellable: true, arguments);

    /// <param name="cancellable">False for work that must finish even after Ctrl+C (a rollback).</param>
    private protected LxcSnapOutcome RunLxcSnapOutcome(bool cancellable, params string[] arguments)
    {
        var all = new List<string>();
        if (!string.IsNullOrEmpty(LxcPath))
            all.AddRange(["-P", LxcPath]);
        if (!string.IsNullOrEmpty(SnapshotPath))
            all.AddRange(["--snapshot-path", SnapshotPath]);
        all.AddRange(arguments);
        Log.LogMessage(MessageImportance.Low, "lxc-snap {0}", string.Join(" ", all));
        return LxcSnapProcess.Run(CliPath, all, line => Log.LogMessage(MessageImportance.Normal, line), cancellable ? Cancellation : CancellationToken.None);
    }

    /// <summary>Logs an LXS error at the task's place in the project file.</summary>
    protected void Error(string code, string message) =>
        Log.LogError(null, code, null, BuildEngine.ProjectFileOfTaskNode, BuildEngine.LineNumberOfTaskNode, BuildEngine.ColumnNumberOfTaskNode, 0, 0,
            "{0}", message);

    protected void Warning(string code, string message) =>
        Log.LogWarning(null, code, null, BuildEngine.ProjectFileOfTaskNode, BuildEngine.LineNumberOfTaskNode, BuildEngine.ColumnNumberOfTaskNode, 0, 0,
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
