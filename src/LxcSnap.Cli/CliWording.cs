using LxcSnap.Core;

namespace LxcSnap.Cli;

/// <summary>The remedies of an error in lxc-snap's own terms: its flags.</summary>
internal sealed class CliWording : RemedyWording
{
    public static CliWording Instance { get; } = new();

    public override string? Describe(Remedy remedy) => remedy switch
    {
        Remedy.ReplaceExisting => "pass --force to replace it (snapshot it first if you may want it back)",
        Remedy.AllowRunning => "pass --allow-running to freeze it while it is copied",
        Remedy.AbandonOpenTransaction => "pass --replace to abandon it (its before snapshot stays)",
        Remedy.ChooseLxcPath { Path: { } path } => $"pass -P {CommandText.Quote(path)}",
        Remedy.ChooseLxcPath => "-P/--lxcpath chooses another lxcpath",
        Remedy.ChooseStore => "give the snapshot store a directory of its own with --snapshot-path",
        _ => Common(remedy),
    };
}
