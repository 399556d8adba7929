#!/usr/bin/env bash
# Installs what building and testing lxc-snap needs on a fresh Debian or Ubuntu machine, as root:
# LXC with its templates and busybox (the test and demo containers), rsync (LXC copies dir
# containers with it), clang and zlib1g-dev (NativeAOT links lxc-snap with them), xfsprogs,
# btrfs-progs and attr (the reflink and btrfs tests make XFS and btrfs file systems and read
# extended attributes), tmux (a test types
# Ctrl+C into a real terminal), jq (a test reads lxc-snap's JSON times as docs/json.md shows), zsh (the zsh completion is tested in it), util-linux and procps (the fault-injection tests run commands in
# sessions of their own, as another user, and kill them by name), and the .NET 10 SDK when no
# .NET 10 SDK is on the PATH.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "install-prerequisites.sh: run as root (LXC containers are created and started)." >&2
    exit 1
fi

packages=(lxc lxc-templates busybox-static rsync ca-certificates curl clang zlib1g-dev xfsprogs btrfs-progs attr tmux jq zsh util-linux procps)
# npx runs the action.yml validator in the tests; Debian's npm brings it where Node.js has none.
command -v npx >/dev/null 2>&1 || packages+=(npm)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]}..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# pandoc renders the man page when packaging/build-deb.sh builds the Debian package (a test builds,
# installs and removes it); without its recommends it is three packages.
if ! command -v pandoc >/dev/null 2>&1; then
    echo "Installing pandoc..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pandoc >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
    # Microsoft's documented installer for Linux distributions without a packaged SDK.
    echo "Installing the .NET 10 SDK..."
    installer=$(mktemp)
    curl -sSL https://dot.net/v1/dotnet-install.sh -o "$installer"
    bash "$installer" --channel 10.0 --install-dir /usr/local/share/dotnet >/dev/null
    ln -sf /usr/local/share/dotnet/dotnet /usr/local/bin/dotnet
    rm -f "$installer"
fi
