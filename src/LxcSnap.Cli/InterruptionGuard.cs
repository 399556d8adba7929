using System.Runtime.InteropServices;

namespace LxcSnap.Cli;

/// <summary>
/// Turns SIGINT, SIGTERM and SIGHUP into a cancellation instead of an instant exit, so that a
/// frozen container is always thawed and a half-made copy is always removed before we exit; and
/// says at once what happens next, and on a second signal why lxc-snap is still there.
/// </summary>
internal sealed class InterruptionGuard : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly TextWriter _stderr;
    private Func<string> _whatHappensNext = () => "stopping: a copy not yet finished is removed, one already finished is kept.";
    private int _signals;

    public InterruptionGuard(TextWriter stderr)
    {
        _stderr = stderr;
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, Handle),
        ];
    }

    public CancellationToken Token => _source.Token;

    /// <summary>Called before a message is printed: a progress line gives way to it.</summary>
    public Action? BeforeMessage { get; set; }

    /// <summary>What an interruption from now on leads to, for the line printed when it comes ("stopping make, then restoring web from web_2 ...").</summary>
    public void Explain(Func<string> whatHappensNext) => _whatHappensNext = whatHappensNext;

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        BeforeMessage?.Invoke();
        if (Interlocked.Increment(ref _signals) == 1)
        {
            _stderr.WriteLine($"lxc-snap: interrupted: {_whatHappensNext()}");
            _source.Cancel();
            return;
        }
        _stderr.WriteLine("lxc-snap: interrupted again: lxc-snap exits as soon as that is done, so that nothing is left half-done " +
                          "(kill -9 would leave it for the next lxc-snap run to finish).");
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _source.Dispose();
    }
}
