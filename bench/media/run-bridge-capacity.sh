#!/bin/sh
# run-bridge-capacity.sh — the largest N one bridge carries on given cores.
#
#   BRIDGE_CPUS=0 bench/media/run-bridge-capacity.sh [BUILD_DIR] [SECONDS]
#
# A stepping search over N: one run-bridge-bench.sh run per N (the bridge
# pinned to $BRIDGE_CPUS with taskset when set, all cores otherwise), and N
# passes when the run had 0 audio gaps (stream holes + bridge late sends) and
# every receiver got at least $MIN_FPS (14) frames a second. N grows by
# $STEP (8) from $START (10) until a run fails (or $MAX, 100, passes), then
# halves the step between the last pass and the first failure down to
# $RESOLUTION (2). Prints every run's verdict and then
#   capacity cores=<BRIDGE_CPUS> N=<largest passing N> (first failure <N>)
# Compare `BRIDGE_CPUS=0` with `BRIDGE_CPUS=0,1` (issue #14: ≥ 1.8×) in the
# same session, with the load average that every line carries.
set -eu

BUILD=${1:-build}
SECONDS_PER_RUN=${2:-30}
START=${START:-10}
STEP=${STEP:-8}
MAX=${MAX:-100}
RESOLUTION=${RESOLUTION:-2}
MIN_FPS=${MIN_FPS:-14}
BENCH="$(dirname "$0")/run-bridge-bench.sh"
export BRIDGE_CPUS="${BRIDGE_CPUS:-}"

# probe N: prints the verdict line, returns 0 if N passes
probe () {
  line=$(SIZES=$1 sh "$BENCH" "$BUILD" "$SECONDS_PER_RUN" 2>/dev/null | grep '^{' | tail -n 1 || true)
  if [ -z "$line" ]; then
    echo "N=$1 FAIL (no result) load $(cut -d' ' -f1-3 /proc/loadavg)"
    return 1
  fi
  printf '%s' "$line" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
ok = r["audio_gaps"] == 0 and r["fps_min"] >= float(sys.argv[1])
print("N=%d %s: audio gaps %d, fps min %.2f, bridge CPU %.1f %% of machine, load avg %.1f"
      % (r["participants"], "pass" if ok else "FAIL", r["audio_gaps"], r["fps_min"],
         r["cpu_percent_of_machine"], r["load_avg"]))
sys.exit(0 if ok else 1)' "$MIN_FPS"
}

good=0
bad=""
n=$START
while [ "$n" -le "$MAX" ]; do
  if probe "$n"; then good=$n; n=$((n + STEP)); else bad=$n; break; fi
done
if [ -n "$bad" ]; then
  step=$(((bad - good) / 2))
  while [ "$step" -ge "$RESOLUTION" ] && [ $((good + step)) -lt "$bad" ]; do
    n=$((good + step))
    if probe "$n"; then good=$n; else bad=$n; fi
    step=$(((bad - good) / 2))
  done
fi
echo "capacity cores=${BRIDGE_CPUS:-all} N=$good (first failure ${bad:-none up to $MAX})"
