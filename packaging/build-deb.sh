#!/usr/bin/env bash
# Builds the Debian package of lxc-snap: the NativeAOT executable, the man page lxc-snap(1)
# rendered from docs/lxc-snap.1.md, bash and zsh completions and the docs, depending on liblxc1.
#   packaging/build-deb.sh [OUTPUT_DIRECTORY]     (default: ./dist; prints the .deb's path)
# Needs the .NET 10 SDK, clang (NativeAOT links with it), pandoc and dpkg-deb:
# scripts/install-prerequisites.sh installs them all.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
output=$(mkdir -p "${1:-$repo/dist}" && cd "${1:-$repo/dist}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

root="$work/root"
dotnet publish "$repo/src/LxcSnap.Cli" -c Release -o "$work/bin" --nologo -v quiet >&2  # stdout is for the .deb's path

# lxc-snap's own version (from the git tags: 1.2.3, or 1.2.4-alpha.0.5 five commits after v1.2.3),
# as Debian orders it (~ sorts a pre-release before its release), then when this package was built
# and from which commit: a rebuilt package never reuses a version apt has seen.
tool_version=$("$work/bin/lxc-snap" --json --version | jq -r .version)
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
version="${tool_version/-/\~}+$(date -u +%Y%m%d%H%M%S).g${commit}"
architecture=$(dpkg --print-architecture)
install -D -m 0755 "$work/bin/lxc-snap" "$root/usr/bin/lxc-snap"
install -d "$root/usr/share/man/man1"
pandoc --standalone --from markdown-smart --to man "$repo/docs/lxc-snap.1.md" | gzip -9n >"$root/usr/share/man/man1/lxc-snap.1.gz"
install -D -m 0644 "$repo/packaging/completions/lxc-snap.bash" "$root/usr/share/bash-completion/completions/lxc-snap"
install -D -m 0644 "$repo/packaging/completions/_lxc-snap" "$root/usr/share/zsh/vendor-completions/_lxc-snap"
docs="$root/usr/share/doc/lxc-snap"
install -d "$docs"
install -m 0644 "$repo/README.md" "$repo"/docs/*.md "$repo/docs/lxc-snap.schema.json" "$docs/"
cat >"$docs/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: lxc-snap
Source: the LxcSnap repository

Files: *
Copyright: the LxcSnap authors
License: see the repository
COPYRIGHT

install -d "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<CONTROL
Package: lxc-snap
Version: $version
Architecture: $architecture
Maintainer: LxcSnap <lxcsnap@invalid>
Depends: liblxc1 (>= 1:1.1.3), libc6 (>= 2.34)
Section: admin
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Homepage: https://lxcsnap.invalid
Description: snapshot LXC containers, list their versions and restore them
 lxc-snap makes incremental work on a container's root filesystem safe: make
 changes, snapshot, make more, snapshot, go back to any version. Each snapshot
 is itself a container; overlay containers are snapshotted by their delta,
 btrfs subvolumes natively, dir containers by reflink or a parallel copy.
 Provisioning transactions (run, begin/end) restore a container when its
 provisioning fails or is interrupted.
CONTROL

deb="$output/lxc-snap_${version}_${architecture}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
