# Fixture builders for bench/run.sh (sourced). Every fixture is made by LXC's own tools
# (lxc-create, lxc-copy, lxc-snapshot) plus deterministic filler data, in the bench's lxcpath.

# fill_rootfs DIR MEGABYTES: adds about MEGABYTES of files under DIR/usr/share/bench-filler, shaped
# like a distribution's /usr: a quarter of the bytes in thousands of small files (2, 8 and 32 KiB,
# a hundred per directory), the rest in 4 MiB files. Content is random (incompressible).
fill_rootfs() {
    local root=$1/usr/share/bench-filler megabytes=$2
    local small_kib=$((megabytes * 1024 / 4)) large_count=$((megabytes * 3 / 4 / 4))
    mkdir -p "$root"
    local sizes=(2 8 32) done_kib=0 index=0
    while [ "$done_kib" -lt "$small_kib" ]; do
        local size=${sizes[$((index % 3))]} dir="$root/small$index"
        mkdir -p "$dir"
        head -c $((size * 1024 * 100)) /dev/urandom | split -b $((size * 1024)) -a 2 -d - "$dir/f"
        done_kib=$((done_kib + size * 100))
        index=$((index + 1))
    done
    mkdir -p "$root/large"
    head -c $((large_count * 4 * 1024 * 1024)) /dev/urandom | split -b 4M -a 3 -d - "$root/large/blob"
}

# make_container LXCPATH NAME MEGABYTES [BACKING_STORE]: a busybox container (lxc-create -B, dir
# by default) with about MEGABYTES of filler in its rootfs.
make_container() {
    lxc-create -P "$1" -t busybox -n "$2" -B "${4:-dir}" >/dev/null
    fill_rootfs "$1/$2/rootfs" "$3"
}

# make_hello_world DIR [liblxc]: a console program that prints one line, published with NativeAOT
# and the same settings that matter for start-up as lxc-snap (invariant globalization, no
# dehydration, a fixed address) to DIR/bin/hello: the floor for start-up. With "liblxc" it first
# loads liblxc and prints its version, as lxc-snap --version does (lxc-snapshot pays that load too).
make_hello_world() {
    mkdir -p "$1"
    cat >"$1/hello.csproj" <<'PROJECT'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <AssemblyName>hello</AssemblyName>
    <PublishAot>true</PublishAot>
    <InvariantGlobalization>true</InvariantGlobalization>
    <SatelliteResourceLanguages>en</SatelliteResourceLanguages>
    <IlcDehydrate>false</IlcDehydrate>
    <PositionIndependentExecutable>false</PositionIndependentExecutable>
    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
  </PropertyGroup>
</Project>
PROJECT
    if [ "${2:-}" = liblxc ]; then
        cat >"$1/Program.cs" <<'PROGRAM'
using System.Runtime.InteropServices;
var library = NativeLibrary.Load("liblxc.so.1");
unsafe
{
    var version = ((delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "lxc_get_version"))();
    System.Console.WriteLine($"hello (liblxc {Marshal.PtrToStringUTF8(version)})");
}
PROGRAM
    else
        echo 'System.Console.WriteLine("hello");' >"$1/Program.cs"
    fi
    dotnet publish "$1" -c Release -o "$1/bin" --nologo -v quiet
}
