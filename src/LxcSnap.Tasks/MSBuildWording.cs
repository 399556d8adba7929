using LxcSnap.Core;

namespace LxcSnap.Tasks;

/// <summary>The remedies of an lxc-snap error in MSBuild's terms: the properties of the targets and the parameters of the tasks.</summary>
internal sealed class MSBuildWording : RemedyWording
{
    public static MSBuildWording Instance { get; } = new();

    public override string? Describe(Remedy remedy) => remedy switch
    {
        Remedy.ReplaceExisting => "set Force=\"true\" on the task to replace it (snapshot it first if you may want it back)",
        Remedy.AllowRunning => "set AllowRunning=\"true\" on the task to freeze it while it is copied",
        Remedy.AbandonOpenTransaction => "set LxcSnapReplaceOpen=true to abandon it (its before snapshot stays)",
        Remedy.ChooseLxcPath { Path: { } path } => $"set LxcSnapLxcPath to {path}",
        Remedy.ChooseLxcPath => "set LxcSnapLxcPath to the lxcpath that holds the container",
        Remedy.ChooseStore => "set LxcSnapSnapshotPath to a directory of its own",
        _ => Common(remedy),
    };
}
