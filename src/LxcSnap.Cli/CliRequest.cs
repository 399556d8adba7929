namespace LxcSnap.Cli;

/// <summary>What the user asked lxc-snap to do, once the command line is parsed and checked.</summary>
internal enum CliMode
{
    Snapshot,
    ListContainers,
    ListSnapshots,
    Restore,
    Destroy,
    Version,
    /// <summary>run NAME -- COMMAND: a provisioning transaction around a command.</summary>
    Run,
    Begin,
    End,
    Prune,
    /// <summary>diff NAME_N [OTHER]: what differs between two root filesystems.</summary>
    Diff,
}

internal sealed record CliRequest(CliMode Mode)
{
    /// <summary>Only reads: --version, the listings and diff.</summary>
    public bool ChangesNothing => Mode is CliMode.Version or CliMode.ListContainers or CliMode.ListSnapshots or CliMode.Diff
                                  || (DryRun && Mode is CliMode.Destroy or CliMode.Restore);

    /// <summary>The container (snapshot, list) or snapshot (restore, destroy) acted on.</summary>
    public string? Target { get; init; }

    /// <summary>Restore: the new container's name.</summary>
    public string? NewName { get; init; }

    public string? CommentFile { get; init; }
    public string? LxcPath { get; init; }
    public string? SnapshotPath { get; init; }
    public bool AllowRunning { get; init; }
    public bool Force { get; init; }
    public bool Json { get; init; }
    /// <summary>-q: only the result and errors, no notes on stderr.</summary>
    public bool Quiet { get; init; }
    /// <summary>-o/--logfile and --logpriority: liblxc's log, as LXC's tools write it.</summary>
    public string? LogFile { get; init; }
    public string? LogPriority { get; init; }

    // Provisioning transactions (run, begin, end) and prune.
    public string? Label { get; init; }
    public bool KeepFailed { get; init; }
    public bool Replace { get; init; }
    /// <summary>begin: roll back an open transaction with the same label first.</summary>
    public bool Recover { get; init; }
    /// <summary>end: true for --success, false for --failure.</summary>
    public bool Succeeded { get; init; }
    /// <summary>run: the command and its arguments.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];
    public int? Keep { get; init; }
    /// <summary>run, begin: a fingerprint of provisioning's inputs, and whether an unchanged one skips it.</summary>
    public string? InputsHash { get; init; }
    public bool SkipIfUnchanged { get; init; }
    public string? OlderThan { get; init; }
    public bool DryRun { get; init; }

    // diff
    /// <summary>What the snapshot (<see cref="Target"/>) is compared with; null for its container as it is now.</summary>
    public string? CompareWith { get; init; }
    /// <summary>--stat: a line of totals after the paths.</summary>
    public bool Stat { get; init; }
    /// <summary>--exit-code: exit 1 when they differ.</summary>
    public bool ExitCodeOnDifference { get; init; }

    // Records compare lists by reference; requests compare by content.
    public bool Equals(CliRequest? other) =>
        other is not null && EqualityContract == other.EqualityContract
        && (Mode, Target, NewName, CommentFile, LxcPath, SnapshotPath, AllowRunning, Force, Json, Label, KeepFailed, Replace, Recover, Succeeded, Keep, OlderThan, DryRun)
        == (other.Mode, other.Target, other.NewName, other.CommentFile, other.LxcPath, other.SnapshotPath, other.AllowRunning, other.Force, other.Json, other.Label, other.KeepFailed, other.Replace, other.Recover, other.Succeeded, other.Keep, other.OlderThan, other.DryRun)
        && (Quiet, LogFile, LogPriority, InputsHash, SkipIfUnchanged) == (other.Quiet, other.LogFile, other.LogPriority, other.InputsHash, other.SkipIfUnchanged)
        && (CompareWith, Stat, ExitCodeOnDifference) == (other.CompareWith, other.Stat, other.ExitCodeOnDifference)
        && Command.SequenceEqual(other.Command);

    public override int GetHashCode() => HashCode.Combine(Mode, Target, NewName, Label);
}
