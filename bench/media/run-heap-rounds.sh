#!/bin/sh
# run-heap-rounds.sh — what does vc-bridge keep after each round of joins?
#
#   bench/media/run-heap-rounds.sh [BUILD_DIR] [ROUNDS]
#
# One bridge (127.0.0.1:0, its own process); each round 6 participants of
# vc-bridge-load join room "bench" for 4 s, the room is deleted, and after
# 4 s (teardowns and the heap trim, 2 s after the last one) gdb attaches to
# the bridge for a moment and calls glibc's malloc_stats() (heap size and
# bytes in use, all arenas) and g_quark_from_string() with a new name:
# quarks are numbered in order and never freed, so the difference between
# two rounds' numbers, minus one, is what the round interned. Printed per
# round: VmRSS, heap "system" and "in use" bytes, the quark number, threads.
# Needs gdb and ptrace rights over the bridge (not for CI). Loopback only.
# Environment for an A/B run: BRIDGE=path, MALLOC_MMAP_THRESHOLD_, G_SLICE.
set -eu

BUILD=${1:-build}
ROUNDS=${2:-14}
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

# malloc_stats() writes to the bridge's stderr: read what it appended
heap () {
  size=$(stat -c %s "$WORK/bridge.err")
  gdb -p "$pid" -batch -ex 'call ((void(*)(void))malloc_stats)()' \
    -ex "call (unsigned)((unsigned(*)(const char*))g_quark_from_string)(\"run-heap-rounds-$1\")" \
    > "$WORK/gdb.out" 2>&1 || true
  quark=$(grep '^\$' "$WORK/gdb.out" | tail -1 | awk '{print $3}')
  tail -c +"$((size + 1))" "$WORK/bridge.err" | grep -a -A2 '^Total' | awk -F= -v q="${quark:-?}" '
    /system bytes/ {s = $2} /in use bytes/ {u = $2}
    END {printf "%d | %d | %s", s / 1024, u / 1024, q}'
}

echo "round | VmRSS KiB | heap system KiB | heap in use KiB | quark | threads"
for r in $(seq 1 "$ROUNDS"); do
  timeout 150 "$LOAD" --url "$url" --secret "$SECRET" --pid "$pid" --participants 6 \
    --seconds 4 --clips "$CLIPS" > /dev/null || echo "round $r: vc-bridge-load exited $?" >&2
  curl -s -X DELETE -H "Authorization: Bearer $SECRET" "$url/rooms/bench" > /dev/null
  sleep 4 # teardowns and the heap trim (2 s after the last one) run meanwhile
  echo "$r | $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") | $(heap "$r") | $(ls "/proc/$pid/task" | wc -l)"
done
