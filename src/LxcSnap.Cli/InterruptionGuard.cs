using System.Runtime.InteropServices;

namespace LxcSnap.Cli;

/// <summary>
/// Turns SIGINT, SIGTERM and SIGHUP into a cancellation instead of an instant exit, so that a
/// frozen container is always thawed and a half-made copy is always removed before we exit.
/// </summary>
internal sealed class InterruptionGuard : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;

    public InterruptionGuard()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, Handle),
        ];
    }

    public CancellationToken Token => _source.Token;

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        _source.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _source.Dispose();
    }
}
