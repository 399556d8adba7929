#!/usr/bin/env bash
# Builds lxc-snap and shows its main job on a throw-away busybox container: snapshot with a
# comment, change a file, snapshot again, list, restore a version to a new name and show the
# restored content. Everything happens in a temporary lxcpath, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prerequisites.sh

echo "== Building lxc-snap"
dotnet publish src/LxcSnap.Cli -c Release -o artifacts/lxc-snap --nologo -v quiet
lxc_snap="$PWD/artifacts/lxc-snap/lxc-snap"

demo=$(mktemp -d /tmp/lxcsnap-demo.XXXXXX)
lxcpath="$demo/lxc"
cleanup() { rm -rf "$demo"; }
trap cleanup EXIT
mkdir -p "$lxcpath"

step() { echo; echo "== $*"; }
run() { echo "\$ $*" >&2; "$@"; }
# The demo container is an overlay clone of a busybox base, as the original lxc-snap README suggests.
file="$lxcpath/demo/overlay/delta/etc/motd"

step "A busybox base container and an overlay clone 'demo' of it"
run lxc-create -P "$lxcpath" -t busybox -n base >/dev/null
run lxc-copy -P "$lxcpath" -s -B overlay -n base -N demo
mkdir -p "$(dirname "$file")"
echo "hello from version 0" > "$file"

step "Snapshot 'demo' with a comment"
echo "first version: motd says hello" > "$demo/comment"
run "$lxc_snap" -P "$lxcpath" -c "$demo/comment" demo

step "Change a file in demo's root filesystem, and snapshot again"
echo "changed in version 1" > "$file"
run "$lxc_snap" -P "$lxcpath" demo

step "List the containers that have snapshots, then demo's versions"
run "$lxc_snap" -P "$lxcpath" -l
run "$lxc_snap" -P "$lxcpath" -l demo

step "Restore version 0 to a new container 'demo_restored'"
run "$lxc_snap" -P "$lxcpath" -r demo_0 demo_restored
run lxc-ls -P "$lxcpath"

step "The restored /etc/motd, and demo's own"
echo "demo_restored: $(cat "$lxcpath/demo_restored/overlay/delta/etc/motd")"
echo "demo:          $(cat "$file")"
