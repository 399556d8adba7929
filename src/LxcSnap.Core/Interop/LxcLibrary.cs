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

    private static readonly Lazy<(Version Version, string Text, LxcLog Log)> Loaded = new(Load);

    /// <summary>Held around every call into liblxc.</summary>
    public static readonly object Gate = new();

    public static string VersionText => Loaded.Value.Text;

    public static LxcLog Log => Loaded.Value.Log;

    /// <summary>Throws a clear <see cref="LxcSnapException"/> when liblxc is missing or too old.</summary>
    public static void EnsureLoaded() => _ = Loaded.Value;

    private static (Version, string, LxcLog) Load()
    {
        if (!NativeLibrary.TryLoad(Libraries.Lxc, typeof(LxcLibrary).Assembly, null, out _))
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
        return (version, text, LxcLog.Initialize());
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
