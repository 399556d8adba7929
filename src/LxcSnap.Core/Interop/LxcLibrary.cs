using System.Runtime.InteropServices;

namespace LxcSnap.Core.Interop;

/// <summary>
/// Loads liblxc once per process, refuses versions whose struct layout we cannot trust, sets up
/// log capture, and serializes every liblxc call: liblxc keeps process-wide state and forks inside
/// the caller, so two threads must never be inside it at once.
/// </summary>
internal static class LxcLibrary
{
    /// <summary>The oldest LXC whose <c>struct lxc_container</c> slots 0..62 are where we read them.</summary>
    public static readonly Version Minimum = new(1, 1, 3);

    private static readonly Lazy<(Version Version, string Text)> Loaded = new(Load);

    // Set up with the first call that can log, not for --version: the log is a memory file and a
    // liblxc call, a tenth of lxc-snap's start-up.
    private static readonly Lazy<LxcLog> CapturedLog = new(() =>
    {
        _ = Loaded.Value;
        return LxcLog.Initialize(_logFile, _logPriority);
    });

    private static string? _logFile;
    private static string? _logPriority;

    /// <summary>
    /// Sends liblxc's log to <paramref name="file"/> as well (LXC's tools' -o/--logfile), at
    /// <paramref name="priority"/> and above (--logpriority); before the first call into liblxc.
    /// </summary>
    public static void UseLogFile(string? file, string? priority)
    {
        if (CapturedLog.IsValueCreated)
            throw new InvalidOperationException("liblxc's log is set up already: choose its file before the first call into liblxc.");
        (_logFile, _logPriority) = (file, priority);
    }

    /// <summary>Held around every call into liblxc.</summary>
    public static readonly object Gate = new();

    /// <summary>liblxc's version; loads liblxc (not its log), throwing as <see cref="EnsureLoaded"/> does.</summary>
    public static string VersionText => Loaded.Value.Text;

    public static LxcLog Log => CapturedLog.Value;

    /// <summary>
    /// Loads liblxc and captures its log, before any call that can log; throws a clear
    /// <see cref="LxcSnapException"/> when liblxc is missing or too old.
    /// </summary>
    public static void EnsureLoaded() => _ = CapturedLog.Value;

    private static (Version, string) Load()
    {
        // By name, as dlopen finds it: the overload that takes an assembly builds the reflection
        // binder first, a fifth of the page faults of lxc-snap --version.
        if (!NativeLibrary.TryLoad(Libraries.Lxc, out _))
        {
            throw new LxcSnapException(LxcSnapError.LxcUnavailable,
                $"{Libraries.Lxc} not found: install the lxc package (apt-get install lxc).");
        }

        var text = Marshal.PtrToStringUTF8(LxcNative.lxc_get_version()) ?? "";
        var version = ParseVersion(text);
        if (version is null || version < Minimum)
        {
            throw new LxcSnapException(LxcSnapError.LxcUnavailable,
                $"liblxc {(text.Length == 0 ? "of unknown version" : text)} is too old: lxc-snap needs LXC {Minimum} or newer. Upgrade the lxc package.");
        }
        return (version, text);
    }

    /// <summary>"5.0.2", "4.0.12~devel" and "6.0.0-rc1" all parse; the suffix is ignored.</summary>
    internal static Version? ParseVersion(string text)
    {
        var numeric = new string(text.TakeWhile(c => char.IsDigit(c) || c == '.').ToArray()).TrimEnd('.');
        var parts = numeric.Split('.');
        if (parts.Length < 2 || parts.Length > 4 || parts.Any(p => p.Length == 0))
            return null;
        return Version.TryParse(parts.Length == 2 ? numeric + ".0" : numeric, out var version) ? version : null;
    }

    /// <summary>LXC's default lxcpath (lxc.lxcpath), usually /var/lib/lxc.</summary>
    public static string DefaultLxcPath()
    {
        EnsureLoaded();
        lock (Gate)
        {
            return Marshal.PtrToStringUTF8(LxcNative.lxc_get_global_config_item("lxc.lxcpath")) ?? "/var/lib/lxc";
        }
    }
}
