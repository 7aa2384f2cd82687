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
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$WORK"' EXIT

cat > "$WORK/bridge.ini" <<INI
[bridge]
listen = 127.0.0.1:0
secret = $SECRET
capacity = 100
[ice]
addresses = 127.0.0.1
INI

"$BRIDGE" --config "$WORK/bridge.ini" > "$WORK/bridge.out" 2> "$WORK/bridge.err" &
pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'http://[0-9.]*:[0-9]*' "$WORK/bridge.out" 2>/dev/null || true)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "vc-bridge died:" >&2; cat "$WORK/bridge.err" >&2; exit 1; }
  sleep 0.1 # polling the printed port line, bounded to 10 s
done
[ -n "$url" ] || { echo "vc-bridge did not print its address" >&2; exit 1; }

echo "round | VmRSS MB | threads"
for r in $(seq 1 "$ROUNDS"); do
  timeout 90 "$LOAD" --url "$url" --secret "$SECRET" --pid "$pid" --participants 10 \
    --seconds 3 --clips "$CLIPS" > /dev/null
  curl -s -X DELETE -H "Authorization: Bearer $SECRET" "$url/rooms/bench" > /dev/null
  sleep 3 # teardowns and the heap trim (2 s after the last one) run meanwhile
  echo "$r | $(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status") | $(ls "/proc/$pid/task" | wc -l)"
done
