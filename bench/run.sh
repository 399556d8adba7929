#!/usr/bin/env bash
# Benchmarks lxc-snap against LXC's own tools (lxc-snapshot, lxc-copy) on fixtures it builds
# itself, alternating the tools run by run, and writes docs/benchmarks.md. Run as root from
# anywhere: bench/run.sh  (see bench/README.md; REPS=N sets the repetitions, SNAPSHOT_COUNTS="10"
# makes a quick trial run).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
source bench/lib/fixtures.sh
source bench/lib/measure.sh

scripts/install-prerequisites.sh
# GNU time (peak memory), bc (arithmetic) and jq (lxc-snap's --json) are not on every fresh machine.
for tool in /usr/bin/time bc jq; do
    command -v "$tool" >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time bc jq >/dev/null; break; }
done

work=$(mktemp -d /var/tmp/lxcsnap-bench.XXXXXX)
xfs_mount="$work/xfs"
btrfs_mount="$work/btrfs"
cleanup() {
    umount "$xfs_mount" 2>/dev/null || true
    umount "$btrfs_mount" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== Building lxc-snap (NativeAOT)"
publish_started=$(date +%s.%N)
dotnet publish src/LxcSnap.Cli -c Release -o "$work/bin" --nologo -v quiet
publish_seconds=$(echo "$(date +%s.%N) - $publish_started" | bc)
lxc_snap="$work/bin/lxc-snap"
# The floors for start-up: the smallest program .NET NativeAOT makes, published the same way,
# and the same loading liblxc and printing its version.
make_hello_world "$work/hello"
hello="$work/hello/bin/hello"
make_hello_world "$work/hello-liblxc" liblxc
hello_liblxc="$work/hello-liblxc/bin/hello"

L="$work/lxc"        # the lxcpath; lxc-snapshot keeps its snapshots in L/NAME/snaps
S="$work/lxcsnap"    # lxc-snap's store, apart from LXC's (L+"snaps" would switch LXC's layout)
mkdir -p "$L" "$S"
# lxc_snap_in LXCPATH STORE ARGS...: lxc-snap on that lxcpath and store.
lxc_snap_in() { "$lxc_snap" -P "$1" --snapshot-path "$2" "${@:3}"; }
echo "a comment for the benchmark" > "$work/comment"

echo "== Building fixtures in $work"
lxc-create -P "$L" -t busybox -n base >/dev/null
lxc-copy -P "$L" -s -B overlay -n base -N ov_empty
lxc-copy -P "$L" -s -B overlay -n base -N ov_100m
fill_rootfs "$L/ov_100m/overlay/delta" 100
make_container "$L" dir_200m 200
make_container "$L" dir_1g 1024
# The same 1 GB container on XFS with reflink=1, lxcpath and store on it.
truncate -s 6G "$work/xfs.img"
mkfs.xfs -q -m reflink=1 "$work/xfs.img"
mkdir -p "$xfs_mount" && mount -o loop "$work/xfs.img" "$xfs_mount"
XL="$xfs_mount/lxc" XS="$xfs_mount/lxcsnap"
mkdir -p "$XL" "$XS"
make_container "$XL" xfs_1g 1024
# Containers whose rootfs is a btrfs subvolume (lxc-create -B btrfs), lxcpath and store on one btrfs.
truncate -s 6G "$work/btrfs.img"
mkfs.btrfs -q "$work/btrfs.img"
mkdir -p "$btrfs_mount" && mount -o loop "$work/btrfs.img" "$btrfs_mount"
BL="$btrfs_mount/lxc" BS="$btrfs_mount/lxcsnap"
mkdir -p "$BL" "$BS"
make_container "$BL" btrfs_10m 8 btrfs
make_container "$BL" btrfs_1g 1024 btrfs
sync

# snapshot_case LABEL REPS LXCPATH STORE NAME: snapshot with each tool, alternating; each
# snapshot is destroyed again (untimed) so every run starts from the same state.
snapshot_case() {
    local label=$1 reps=$2 lxcpath=$3 store=$4 name=$5
    case_started "$label"
    for _ in $(seq "$reps"); do
        measure "$label" "lxc-snap" "$lxc_snap" -P "$lxcpath" --snapshot-path "$store" --json "$name"
        lxc_snap_in "$lxcpath" "$store" -d "$(latest_snapshot "$lxcpath" "$store" "$name")" >/dev/null
        measure "$label" "lxc-snapshot" lxc-snapshot -P "$lxcpath" -n "$name"
        lxc-snapshot -P "$lxcpath" -n "$name" -d snap0
    done
    case_ended "$label"
}

# restore_case LABEL REPS LXCPATH STORE NAME: restore one snapshot of each tool to a new
# container, alternating (and lxc-copy of the container itself for dir containers, LXC's other
# full copy); the restored container is destroyed again (untimed).
restore_case() {
    local label=$1 reps=$2 lxcpath=$3 store=$4 name=$5
    lxc_snap_in "$lxcpath" "$store" "$name" >/dev/null
    local snapshot
    snapshot=$(latest_snapshot "$lxcpath" "$store" "$name")
    lxc-snapshot -P "$lxcpath" -n "$name"
    sync
    case_started "$label"
    for _ in $(seq "$reps"); do
        measure "$label" "lxc-snap" "$lxc_snap" -P "$lxcpath" --snapshot-path "$store" --json -r "$snapshot" restored
        lxc-destroy -P "$lxcpath" -n restored >/dev/null
        measure "$label" "lxc-snapshot" lxc-snapshot -P "$lxcpath" -n "$name" -r snap0 -N restored
        lxc-destroy -P "$lxcpath" -n restored >/dev/null
        if grep -q '^lxc.rootfs.path = dir:' "$lxcpath/$name/config"; then
            measure "$label" "lxc-copy" lxc-copy -P "$lxcpath" -n "$name" -N restored
            lxc-destroy -P "$lxcpath" -n restored >/dev/null
        fi
    done
    case_ended "$label"
    lxc_snap_in "$lxcpath" "$store" -d "$snapshot" >/dev/null
    lxc-snapshot -P "$lxcpath" -n "$name" -d snap0
}

# make_a_few_changes ROOTFS: what a provisioning step leaves in a 1 GB tree: a file modified, one
# added, one deleted, one chmod'ed and a directory of ten new files.
make_a_few_changes() {
    local root=$1/usr/share/bench-filler
    echo changed >>"$root/small0/f00"
    echo added >"$root/added"
    rm "$root/small1/f01"
    chmod 600 "$root/small2/f02"
    mkdir "$root/new" && for i in $(seq 10); do echo "$i" >"$root/new/$i"; done
}

# diff_case LABEL REPS LXCPATH STORE NAME BEFORE AFTER: lxc-snap diff BEFORE AFTER (snapshots
# or containers of LXCPATH/STORE) against the tools a user would otherwise run on their two root
# filesystems: GNU diff -rq (reads every file of equal size), rsync's dry run with deletions
# (size and mtime, as lxc-snap's walk) and, for dir containers, lxc-copy (the copy diff must be
# well under). The rootfs paths are given as arguments 8 and 9.
diff_case() {
    local label=$1 reps=$2 lxcpath=$3 store=$4 before=$6 after=$7 before_root=$8 after_root=$9
    case_started "$label"
    for _ in $(seq "$reps"); do
        measure "$label" lxc-snap "$lxc_snap" -P "$lxcpath" --snapshot-path "$store" diff "$before" "$after"
        # diff exits 1 when the trees differ, as they do: only 2 is a failure.
        measure "$label" "diff -rq" sh -c 'diff -rq --no-dereference "$0" "$1" >/dev/null; [ $? -le 1 ]' "$before_root" "$after_root"
        measure "$label" "rsync -n" rsync -naHAX --delete --itemize-changes "$before_root/" "$after_root/"
        if [ "${10:-}" = with-copy ]; then
            measure "$label" lxc-copy lxc-copy -P "$lxcpath" -n "$5" -N copied
            lxc-destroy -P "$lxcpath" -n copied >/dev/null
        fi
    done
    case_ended "$label"
}

echo "== Measuring (alternating lxc-snap and LXC's tools)"
reps=${REPS:-7}
few=$(( reps > 3 ? 3 : reps ))
wait_for_quiet
startup_case "start-up (--version, loads liblxc)" 30 "lxc-snapshot hello hello-liblxc" "$lxc_snap" --version
mkdir "$work/empty-store"
startup_case "start-up (-l of an empty store, no liblxc)" 30 "hello" "$lxc_snap" -P "$L" --snapshot-path "$work/empty-store" -l
snapshot_case "snapshot overlay, empty delta" "$reps" "$L" "$S" ov_empty
snapshot_case "snapshot overlay, 100 MB delta" "$reps" "$L" "$S" ov_100m
snapshot_case "snapshot dir, 200 MB" "$reps" "$L" "$S" dir_200m
snapshot_case "snapshot dir, 1 GB" "$few" "$L" "$S" dir_1g
snapshot_case "snapshot dir, 1 GB on XFS reflink" "$few" "$XL" "$XS" xfs_1g
snapshot_case "snapshot btrfs subvolume, 10 MB" "$reps" "$BL" "$BS" btrfs_10m
snapshot_case "snapshot btrfs subvolume, 1 GB" "$reps" "$BL" "$BS" btrfs_1g
restore_case "restore overlay, empty delta" "$reps" "$L" "$S" ov_empty
restore_case "restore overlay, 100 MB delta" "$reps" "$L" "$S" ov_100m
restore_case "restore dir, 200 MB" "$reps" "$L" "$S" dir_200m
restore_case "restore dir, 1 GB" "$few" "$L" "$S" dir_1g
restore_case "restore dir, 1 GB on XFS reflink" "$few" "$XL" "$XS" xfs_1g
restore_case "restore btrfs subvolume, 10 MB" "$reps" "$BL" "$BS" btrfs_10m
restore_case "restore btrfs subvolume, 1 GB" "$reps" "$BL" "$BS" btrfs_1g

# diff: a 1 GB dir container against its snapshot after a few changes, and two snapshots of the
# 100 MB overlay with the same changes between them (their deltas are compared).
lxc_snap_in "$L" "$S" dir_1g >/dev/null
dir_snapshot=$(latest_snapshot "$L" "$S" dir_1g)
make_a_few_changes "$L/dir_1g/rootfs"
sync
diff_case "diff dir, 1 GB, a few changes" "$few" "$L" "$S" dir_1g "$dir_snapshot" dir_1g \
    "$S/$dir_snapshot/rootfs" "$L/dir_1g/rootfs" with-copy
lxc_snap_in "$L" "$S" -d "$dir_snapshot" >/dev/null
lxc_snap_in "$L" "$S" ov_100m >/dev/null
ov_before=$(latest_snapshot "$L" "$S" ov_100m)
make_a_few_changes "$L/ov_100m/overlay/delta"
lxc_snap_in "$L" "$S" ov_100m >/dev/null
ov_after=$(latest_snapshot "$L" "$S" ov_100m)
sync
diff_case "diff two overlay snapshots, 100 MB deltas" "$reps" "$L" "$S" ov_100m "$ov_before" "$ov_after" \
    "$S/$ov_before/overlay/delta" "$S/$ov_after/overlay/delta"
lxc_snap_in "$L" "$S" -d "$ov_before" >/dev/null
lxc_snap_in "$L" "$S" -d "$ov_after" >/dev/null

echo "== Building 100, then 1000 snapshots with comments, with each tool"
lxc-copy -P "$L" -s -B overlay -n base -N many
for count in ${SNAPSHOT_COUNTS:-100 1000}; do
    make_many_snapshots "$L" "$S" many "$count" "$work/comment"
    sync
    wait_for_quiet
    list_case "list $count snapshots with comments" "$reps" "$L" "$S" many
done

write_report "$repo/docs/benchmarks.md" "$publish_seconds" "$lxc_snap" "$load_at_start"
echo "== Wrote docs/benchmarks.md"
