#!/usr/bin/env bash
# End-to-end run of the GitHub Action's container the way a runner runs it, with podman standing in
# for Docker: `podman run` of the action's image with the runner's mounts and INPUT_/GITHUB_/STATE_
# variables and the engine's API socket at /var/run/docker.sock, for the main stage, a "job" that
# changes a running container, and the post stage with job status failure. The action reaches the
# host through a privileged sibling container, as on a real runner. Checks that the container was
# restored and runs again.
#
# Not part of scripts/test.sh: it needs podman and runc (apt-get install podman runc), root, and it
# writes the host's allowlist /etc/lxcsnap/action-allowlist for the duration (refused if one exists).
# The image is not built from action.Dockerfile: base images cannot always be pulled, so it is the
# runtime stage's contents (the NativeAOT lxcsnap-action, the entrypoints, nsenter, env and their
# libraries) taken from this Debian machine and imported with `podman import`.
set -euo pipefail
cd "$(dirname "$0")/.."
allowlist=/etc/lxcsnap/action-allowlist
if [ -e "$allowlist" ]; then
    echo "action-e2e-podman.sh: $allowlist exists; this test writes its own, so run it on a machine without one." >&2
    exit 1
fi
for tool in podman runc lxc-create; do
    command -v "$tool" >/dev/null || { echo "action-e2e-podman.sh: $tool is missing (apt-get install podman runc lxc)." >&2; exit 1; }
done

work=$(mktemp -d /tmp/lxcsnap-action-e2e.XXXXXX)
image=localhost/lxcsnap-action-e2e:$$
export CONTAINERS_CONF=$work/containers.conf
# runc and cgroupfs: crun fails on some kernels' hybrid cgroups; low ulimits: podman's defaults exceed some hosts'.
printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' > "$CONTAINERS_CONF"
service_pid=
cleanup() {
    lxc-stop -P "$work/lxc" -n web -k >/dev/null 2>&1 || true
    [ -n "$service_pid" ] && kill "$service_pid" 2>/dev/null || true
    podman rmi -f "$image" >/dev/null 2>&1 || true
    rm -f "$allowlist"; rmdir /etc/lxcsnap 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== Publishing lxcsnap-action with NativeAOT"
dotnet publish action/LxcSnap.Action -c Release -r linux-x64 -p:PublishAot=true -o "$work/publish" --nologo -v quiet

echo "== The image: the runtime stage's files"
rootfs=$work/rootfs
mkdir -p "$rootfs"/{usr/local/bin,usr/bin,proc,sys,dev,tmp,etc,github/workspace,github/file_commands}
for program in /usr/bin/nsenter /usr/bin/env; do
    cp "$program" "$rootfs/usr/bin/"
    for library in $(ldd "$program" "$work/publish/lxcsnap-action" | awk '/=> \//{print $3} /^\t\//{print $1}' | sort -u); do
        mkdir -p "$rootfs$(dirname "$library")" && cp -L "$library" "$rootfs$library"
    done
done
cp "$work/publish/lxcsnap-action" action/entrypoint/lxcsnap-action-main action/entrypoint/lxcsnap-action-post "$rootfs/usr/local/bin/"
tar -C "$rootfs" -cf "$work/rootfs.tar" .
podman import --change 'ENTRYPOINT ["/usr/local/bin/lxcsnap-action-main"]' "$work/rootfs.tar" "$image" >/dev/null

echo "== podman's Docker-compatible API socket"
podman system service --time=0 "unix://$work/engine.sock" >"$work/engine.log" 2>&1 &
service_pid=$!
for _ in $(seq 50); do [ -S "$work/engine.sock" ] && break; sleep 0.2; done

echo "== A running busybox container 'web', on the host's allowlist"
lxc-create -P "$work/lxc" -t busybox -n web >/dev/null
sed -i '/^lxc.net.0/d;/^lxc.apparmor.profile/d' "$work/lxc/web/config"
printf 'lxc.net.0.type = empty\nlxc.apparmor.profile = unconfined\n' >> "$work/lxc/web/config"
lxc-start -P "$work/lxc" -n web && lxc-wait -P "$work/lxc" -n web -s RUNNING -t 30
mkdir -p /etc/lxcsnap && echo "$work/lxc/web" > "$allowlist"

# One stage as the runner runs it (ContainerActionHandler): fresh file-command files, inputs as
# INPUT_NAME with dashes kept, the main stage's state fed back as STATE_key.
mkdir -p "$work/file_commands"
stage() {
    local name=$1 status=$2 state=()
    : > "$work/file_commands/state_$name"; : > "$work/file_commands/output_$name"; : > "$work/file_commands/summary_$name"
    if [ "$name" = post ]; then
        while IFS= read -r line; do state+=(-e "$line"); done < <(awk '/<</{split($0, a, "<<"); getline v; print "STATE_" a[1] "=" v}' "$work/file_commands/state_main")
    fi
    podman run --rm --network none --workdir /github/workspace \
        -v "$work/engine.sock:/var/run/docker.sock" -v "$work/file_commands:/github/file_commands" \
        -e GITHUB_ACTIONS=true -e CI=true \
        -e "GITHUB_STATE=/github/file_commands/state_$name" -e "GITHUB_OUTPUT=/github/file_commands/output_$name" \
        -e "GITHUB_STEP_SUMMARY=/github/file_commands/summary_$name" \
        -e INPUT_CONTAINER=web -e "INPUT_LXCPATH=$work/lxc" -e INPUT_LABEL=e2e -e INPUT_SNAPSHOT-PATH= \
        -e INPUT_RESTORE-ON-FAILURE=true -e INPUT_KEEP-FAILED=false -e INPUT_REPLACE-OPEN=false -e "INPUT_JOB-STATUS=$status" \
        "${state[@]}" --entrypoint "/usr/local/bin/lxcsnap-action-$name" "$image"
}

echo "== main"
stage main success
grep -q '^web_0$' "$work/file_commands/output_main"
echo "== the job changes web, then fails"
lxc-attach -P "$work/lxc" -n web -- sh -c 'echo broken > /etc/provisioned'
echo "== post (job status: failure)"
stage post failure
cat "$work/file_commands/summary_post"

[ "$(lxc-info -P "$work/lxc" -n web -s -H)" = RUNNING ] || { echo "FAIL: web is not running after the restore" >&2; exit 1; }
[ "$(lxc-attach -P "$work/lxc" -n web -- sh -c 'cat /etc/provisioned 2>/dev/null || echo absent')" = absent ] \
    || { echo "FAIL: the job's change survived the restore" >&2; exit 1; }
echo "PASS: restored to web_0 through a sibling container in the host's namespaces; web runs again"
