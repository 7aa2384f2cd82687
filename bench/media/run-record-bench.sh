#!/bin/sh
# run-record-bench.sh — what recording a room costs the bridge (issue #18).
#
#   bench/media/run-record-bench.sh [BUILD_DIR] [SECONDS] [PAIRS]
#
# One bridge, one room of N = 44 participants (vc-bridge-load, as
# run-bridge-bench.sh), measured in 2 × PAIRS windows of SECONDS each with
# recording off, then on, alternating in the same run (the room is re-posted
# with "record": false / true), so that the load of the shared machine
# drifts alike over both. Prints one JSON line per window, then the mean
# bridge CPU with recording off and on, the difference (target: at most 2 %
# of one core), and the disk written per hour of meeting. Recordings go to a
# temporary folder, removed at the end. Loopback only.
set -eu

BUILD=${1:-build}
SECONDS_PER_RUN=${2:-20}
PAIRS=${3:-3}
N=${N:-44}
BRIDGE_NICE=${BRIDGE_NICE:--15}
BRIDGE=${BRIDGE:-"$BUILD/media/vc-bridge"}
LOAD="$BUILD/bench/media/vc-bridge-load"
WORK=$(mktemp -d)
SECRET="bench-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
CLIPS=${CLIPS:-"$BUILD/bench/media/clips"}
trap 'rm -rf "$WORK"' EXIT

. "$(dirname "$0")/bridge-lib.sh"
bench_write_ini "$WORK/bridge.ini" "$SECRET" \
  "[recordings]\ndirectory = $WORK/recordings\nsegment_seconds = 10\nmin_free_mb = 200"

bench_start_bridge "$WORK/bridge.out" "$WORK/bridge.err" \
  nice -n "$BRIDGE_NICE" "$BRIDGE" --config "$WORK/bridge.ini"
timeout $((120 + 2 * PAIRS * (SECONDS_PER_RUN + 3))) "$LOAD" --url "$url" --secret "$SECRET" \
  --pid "$pid" --participants "$N" --seconds "$SECONDS_PER_RUN" --clips "$CLIPS" \
  --record-pairs "$PAIRS" | tee "$WORK/results.jsonl"
if ! kill -TERM "$pid" 2>/dev/null; then
  echo "vc-bridge died during the run:" >&2
  tail -n 20 "$WORK/bridge.err" >&2
fi
wait "$pid" || true

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "segments written: $(find "$WORK/recordings" -name '*.webm' | wc -l), $(du -sh "$WORK/recordings" | cut -f1)"
python3 - "$WORK/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
off = [r for r in rows if not r["record"]]
on = [r for r in rows if r["record"]]
if not off or not on:
    sys.exit("no results")
mean = lambda xs: sum(xs) / len(xs)
cpu_off = mean([r["cpu_percent_of_one_core"] for r in off])
cpu_on = mean([r["cpu_percent_of_one_core"] for r in on])
pairs = [b["cpu_percent_of_one_core"] - a["cpu_percent_of_one_core"] for a, b in zip(off, on)]
rate = mean([r["recorded_bytes_per_second"] for r in on])
print("| N | windows | bridge CPU off, % of one core | on | on − off (mean; per pair) | on/off | "
      "disk written, MB per hour | load avg |")
print("|---|---|---|---|---|---|---|---|")
print("| %d | %d × %.0f s | %.1f | %.1f | %+.1f (%s) | %.3f | %.0f | %.1f–%.1f |" % (
    rows[0]["participants"], len(rows), rows[0]["seconds"], cpu_off, cpu_on, cpu_on - cpu_off,
    ", ".join("%+.1f" % p for p in pairs), cpu_on / cpu_off, rate * 3600 / 1e6,
    min(r["load_avg"] for r in rows), max(r["load_avg"] for r in rows)))
PY
