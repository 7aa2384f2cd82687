#!/bin/sh
# run-join-storm.sh — N participants join within one second (issue #14).
#
#   bench/media/run-join-storm.sh [BUILD_DIR]
#
# For each N in $SIZES (44 100): starts build/media/vc-bridge on 127.0.0.1:0
# (its own process), waits for its "listening" line, runs vc-bridge-load
# with --join-within 1000 (N participants started evenly over one second)
# and prints the time from each participant's signalling WebSocket opening
# to its first composite frame: median, p95, max (target: max <= 1000 ms),
# and how long the opens actually took. Everything stays on loopback.
# BRIDGE=path/to/vc-bridge for an A/B run against another build.
set -eu

BUILD=${1:-build}
SIZES=${SIZES:-"44 100"}
JOIN_WITHIN_MS=${JOIN_WITHIN_MS:-1000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
BRIDGE_NICE=${BRIDGE_NICE:--15}
BRIDGE=${BRIDGE:-"$BUILD/media/vc-bridge"}
LOAD="$BUILD/bench/media/vc-bridge-load"
CLIPS=${CLIPS:-"$BUILD/bench/media/clips"}
WORK=$(mktemp -d)
SECRET="bench-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
pid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$WORK"' EXIT

. "$(dirname "$0")/bridge-lib.sh"
bench_write_ini "$WORK/bridge.ini" "$SECRET" "${EXTRA_INI:-}"

for n in $SIZES; do
  bench_start_bridge "$WORK/bridge.out" "$WORK/bridge-$n.err" \
    nice -n "$BRIDGE_NICE" "$BRIDGE" --config "$WORK/bridge.ini"
  timeout 240 "$LOAD" --url "$url" --secret "$SECRET" --pid "$pid" --participants "$n" \
    --seconds "$SECONDS_PER_RUN" --join-within "$JOIN_WITHIN_MS" --clips "$CLIPS" \
    | tee -a "$WORK/results.jsonl"
  if ! kill -TERM "$pid" 2>/dev/null; then
    echo "vc-bridge died during the run with N=$n:" >&2
    tail -n 20 "$WORK/bridge-$n.err" >&2
  fi
  wait "$pid" || true
  pid=""
done

echo
echo "bridge: $BRIDGE (niceness $BRIDGE_NICE); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
python3 - "$WORK/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
if not rows:
    sys.exit("no results")
print("| N | joins spread over ms | WebSocket open → first composite frame ms: median / p95 / max | of which open → connected ms: median / max | connected → first frame ms: median / max | fps encoded | load avg |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    print("| %d | %.0f | %.0f / %.0f / %.0f | %.0f / %.0f | %.0f / %.0f | %.1f | %.1f |" % (
        r["participants"], r["join_span_ms"], r["open_first_frame_ms_median"],
        r["open_first_frame_ms_p95"], r["open_first_frame_ms_max"],
        r["open_connected_ms_median"], r["open_connected_ms_max"],
        r["connected_first_frame_ms_median_all"], r["connected_first_frame_ms_max_all"],
        r["bridge_fps"], r["load_avg"]))
PY
