#!/usr/bin/env bash
# Runs the fault-injection suite (tests with Category=FaultInjection) long and prints the table that
# docs/reliability.md keeps. As root, on a machine where scripts/test.sh has run once.
#
#   scripts/fault-injection.sh [KILL_SCALE] [CONCURRENCY_SCALE]
#
# KILL_SCALE (default 10) multiplies the timed kills of every scenario, CONCURRENCY_SCALE (default
# 160: 2,080 rounds of six processes at once) the rounds of the concurrent tests; CI runs both at
# 1. The crash points, the bad input and the disk-full test do not scale: they are exhaustive already.
set -euo pipefail
cd "$(dirname "$0")/.."
kill_scale=${1:-10}
concurrency_scale=${2:-160}

report=$(mktemp)
log=$(mktemp)
trap 'rm -f "$report" "$log"' EXIT

# Both parts run whatever the first one found; the script fails at the end if either did.
status=0
run() {
    local scale=$1 filter=$2
    LXCSNAP_FAULT_SCALE=$scale LXCSNAP_FAULT_REPORT=$report \
        dotnet test tests/LxcSnap.Tests --nologo --filter "Category=FaultInjection&$filter" 2>&1 | tee -a "$log" || status=1
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
started=$(date +%s)
run "$kill_scale" "FullyQualifiedName!~ConcurrencyStressTests"
run "$concurrency_scale" "FullyQualifiedName~ConcurrencyStressTests"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "Fault injection, $(date -u +%Y-%m-%d), kill scale $kill_scale, concurrency scale $concurrency_scale, $(( ($(date +%s) - started) / 60 )) min, $(nproc) cores:"
echo
echo "| what | kills | rounds | operations | inputs |"
echo "|---|---|---|---|---|"
awk -F'\t' '{ kills[$1] += $2; rounds[$1] += $3; operations[$1] += $4; inputs[$1] += $5; order[$1] = NR }
    END { for (c in order) printf "| %s | %d | %d | %d | %d |\n", c, kills[c], rounds[c], operations[c], inputs[c] }' "$report" | sort
awk '/(Passed|Failed)! +- Failed:/ { split($0, f, /[:,]/); failed += f[2]; passed += f[4] }
    END { printf "\ntests: %d passed, %d failed\n", passed, failed }' "$log"
grep -E '\[FAIL\]' "$log" | sed 's/^ *//' || true
exit $status
