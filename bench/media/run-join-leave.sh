#!/bin/sh
# run-join-leave.sh — does vc-bridge give back what participants used?
#
#   bench/media/run-join-leave.sh [BUILD_DIR] [ROUNDS]
#
# One bridge (127.0.0.1:0, its own process); each round 10 participants of
# vc-bridge-load join room "bench" for 3 s, the room is deleted, and after a
# 3 s pause the bridge's VmRSS and thread count are printed. A leak shows as
# a rising line. Everything stays on loopback. BRIDGE=path for an A/B run.
set -eu

BUILD=${1:-build}
ROUNDS=${2:-10}
BRIDGE=${BRIDGE:-"$BUILD/media/vc-bridge"}
LOAD="$BUILD/bench/media/vc-bridge-load"
CLIPS=${CLIPS:-"$BUILD/bench/media/clips"}
WORK=$(mktemp -d)
SECRET="bench-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
pid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$WORK"' EXIT

. "$(dirname "$0")/bridge-lib.sh"
bench_write_ini "$WORK/bridge.ini" "$SECRET"
bench_start_bridge "$WORK/bridge.out" "$WORK/bridge.err" "$BRIDGE" --config "$WORK/bridge.ini"

echo "round | VmRSS MB | threads"
for r in $(seq 1 "$ROUNDS"); do
  timeout 90 "$LOAD" --url "$url" --secret "$SECRET" --pid "$pid" --participants 10 \
    --seconds 3 --clips "$CLIPS" > /dev/null
  curl -s -X DELETE -H "Authorization: Bearer $SECRET" "$url/rooms/bench" > /dev/null
  sleep 3 # teardowns and the heap trim (2 s after the last one) run meanwhile
  echo "$r | $(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status") | $(ls "/proc/$pid/task" | wc -l)"
done
