namespace LxcSnap.Core;

/// <summary>
/// A way out of an error, said without any front-end's words. An option the user can set is a
/// kind of remedy, and each front-end words it in its own terms (<see cref="RemedyWording"/>): a
/// CLI flag, an MSBuild property, a NUKE parameter, an action input; a front-end without such an
/// option leaves it out. A command to run on the host is the same in every front-end.
/// </summary>
public abstract record Remedy
{
    /// <summary>Ask for the existing container to be replaced (lxc-snap -r --force).</summary>
    public sealed record ReplaceExisting : Remedy;

    /// <summary>Ask for a running container to be snapshotted frozen (lxc-snap --allow-running).</summary>
    public sealed record AllowRunning : Remedy;

    /// <summary>Ask for the open transaction to be abandoned, its before snapshot kept (lxc-snap begin --replace).</summary>
    public sealed record AbandonOpenTransaction : Remedy;

    /// <summary>Name the lxcpath the containers are in; <paramref name="Path"/> when it is known which.</summary>
    public sealed record ChooseLxcPath(string? Path = null) : Remedy;

    /// <summary>Name another directory for the snapshot store.</summary>
    public sealed record ChooseStore : Remedy;

    /// <summary>Run <paramref name="Command"/> on the host (an LXC tool, or lxc-snap itself), which <paramref name="Purpose"/>: "lists web's snapshots".</summary>
    public sealed record RunCommand(string Command, string Purpose) : Remedy;

    /// <summary>Advice that needs no option: "choose another name".</summary>
    public sealed record Advice(string Text) : Remedy;
}

/// <summary>How a front-end words the remedies of an error: in the terms its user types.</summary>
public abstract class RemedyWording
{
    /// <summary>The remedy in this front-end's terms, or null when it has no such option.</summary>
    public abstract string? Describe(Remedy remedy);

    /// <summary>The error's problem followed by its remedies in this front-end's terms.</summary>
    public string Message(LxcSnapException error) => Message(error.Problem, error.Remedies);

    /// <summary><paramref name="problem"/> followed by the <paramref name="remedies"/> this front-end has words for.</summary>
    public string Message(string problem, IEnumerable<Remedy> remedies)
    {
        var words = remedies.Select(Describe).OfType<string>().ToList();
        return words.Count == 0 ? problem : $"{problem}: {string.Join(", or ", words)}.";
    }

    /// <summary>The remedies every front-end words the same: a command to run, plain advice.</summary>
    protected static string? Common(Remedy remedy) => remedy switch
    {
        Remedy.RunCommand command => $"{command.Command} {command.Purpose}",
        Remedy.Advice advice => advice.Text,
        _ => null,
    };

    /// <summary>Words without any front-end's options: what <see cref="Exception.Message"/> says.</summary>
    public static RemedyWording Neutral { get; } = new NeutralWording();

    private sealed class NeutralWording : RemedyWording
    {
        public override string? Describe(Remedy remedy) => remedy switch
        {
            Remedy.ReplaceExisting => "ask for it to be replaced (snapshot it first if you may want it back)",
            Remedy.AllowRunning => "ask for it to be snapshotted while it runs (it is frozen for the copy)",
            Remedy.AbandonOpenTransaction => "ask for the open transaction to be abandoned (its before snapshot stays)",
            Remedy.ChooseLxcPath { Path: { } path } => $"use lxcpath {path}",
            Remedy.ChooseLxcPath => "name the lxcpath that holds the containers",
            Remedy.ChooseStore => "keep the snapshot store in a directory of its own",
            _ => Common(remedy),
        };
    }
}
