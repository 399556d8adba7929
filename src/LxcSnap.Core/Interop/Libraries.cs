namespace LxcSnap.Core.Interop;

/// <summary>Names of the native libraries we bind to, in one place.</summary>
internal static class Libraries
{
    /// <summary>
    /// The versioned soname: the bare <c>liblxc.so</c> link exists only with the -dev package.
    /// </summary>
    public const string Lxc = "liblxc.so.1";

    /// <summary>glibc by soname: <c>libc.so</c> is a linker script that dlopen cannot load.</summary>
    public const string Libc = "libc.so.6";
}
