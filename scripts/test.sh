#!/usr/bin/env bash
# Runs every test against real LXC (as root), installing what the tests need first.
# Each LXC test makes its own lxcpath and store under /tmp and removes them; /var/lib/lxc is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prerequisites.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test LxcSnap.Tasks.sln --nologo 2>&1 | tee "$log" || status=$?

# dotnet test ends with "Passed!  - Failed: 0, Passed: 86, Skipped: 0, ..." per test assembly;
# sum them into one closing summary line.
awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ { failed += $2; passed += $4; skipped += $6 }
    END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
exit $status
