using LxcSnap.Core;

namespace LxcSnap.Nuke;

/// <summary>The remedies of an lxc-snap error in the NUKE component's terms: its <c>--lxc-*</c> parameters.</summary>
/// <remarks>Depends on LxcSnap.Core alone, so that the test suite compiles and checks it without Nuke.Common.</remarks>
internal sealed class NukeWording : RemedyWording
{
    public static NukeWording Instance { get; } = new();

    public override string? Describe(Remedy remedy) => remedy switch
    {
        // The component never replaces a container by hand and always snapshots a running one frozen.
        Remedy.ReplaceExisting or Remedy.AllowRunning => null,
        // It begins with its label every build and recovers what a dead build left; another
        // label's open transaction is ended by hand (the command above).
        Remedy.AbandonOpenTransaction => null,
        Remedy.ChooseLxcPath { Path: { } path } => $"pass --lxc-path {CommandText.Quote(path)}",
        Remedy.ChooseLxcPath => "pass --lxc-path with the lxcpath that holds the container",
        Remedy.ChooseStore => "pass --lxc-snapshot-path with a directory of its own",
        _ => Common(remedy),
    };
}
