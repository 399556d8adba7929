using System.Runtime.InteropServices;

namespace LxcSnap.Core.Interop;

/// <summary>The free functions of liblxc that we import, and nothing else.</summary>
internal static unsafe partial class LxcNative
{
    [LibraryImport(Libraries.Lxc, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LxcContainerHandle lxc_container_new(string name, string? configPath);

    [LibraryImport(Libraries.Lxc)]
    public static partial int lxc_container_put(IntPtr container);

    /// <summary>Returns a static string: never free it.</summary>
    [LibraryImport(Libraries.Lxc)]
    public static partial IntPtr lxc_get_version();

    /// <summary>Returns a static string: never free it.</summary>
    [LibraryImport(Libraries.Lxc, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr lxc_get_global_config_item(string key);

    [LibraryImport(Libraries.Lxc)]
    public static partial int lxc_log_init(LxcLogConfig* config);
}

/// <summary><c>struct lxc_log</c> from lxccontainer.h (48 bytes on x86_64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LxcLogConfig
{
    public IntPtr Name;
    public IntPtr LxcPath;
    public IntPtr File;
    public IntPtr Level;
    public IntPtr Prefix;
    public byte Quiet;
}
