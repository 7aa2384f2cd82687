#!/bin/sh
# run-bridge-bench.sh — vc-bridge under N = 10, 26 and 44 participants.
#
#   bench/media/run-bridge-bench.sh [BUILD_DIR] [SECONDS]
#
# For each N: starts build/media/vc-bridge on 127.0.0.1:0 (its own process,
# so its CPU is measured alone), waits for its "listening" line, runs
# vc-bridge-load, stops the bridge. Prints one JSON line per N, then a table.
# Everything stays on loopback. Takes about 3-4 minutes with SECONDS=30.
set -eu

BUILD=${1:-build}
SECONDS_PER_RUN=${2:-30}
SIZES=${SIZES:-"10 26 44"}
# The bridge runs as conf/systemd/vc-bridge.service runs it: Nice=-15, ahead
# of other work on the machine (here: the load generator, which stands in
# for 44 rooms' own machines). BRIDGE_NICE=-5 or 0 to measure without.
BRIDGE_NICE=${BRIDGE_NICE:--15}
# [audio] thread_priority of the bridge: nice (its default: threads that carry
# audio 10 nice levels above the rest), realtime (SCHED_RR) or normal.
AUDIO_PRIORITY=${AUDIO_PRIORITY:-nice}
# The load generator stands in for N machines but shares these cores.
LOADGEN_NICE=${LOADGEN_NICE:-0}
BRIDGE=${BRIDGE:-"$BUILD/media/vc-bridge"} # BRIDGE=path/to/vc-bridge for an A/B run
# BRIDGE_CPUS=0 or 0,1: the bridge pinned to those cores (taskset -c), to
# measure how it scales with cores (run-bridge-capacity.sh)
PIN=""
[ -z "${BRIDGE_CPUS:-}" ] || PIN="taskset -c $BRIDGE_CPUS"
LOAD="$BUILD/bench/media/vc-bridge-load"
WORK=$(mktemp -d)
SECRET="bench-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
CLIPS=${CLIPS:-"$BUILD/bench/media/clips"}
trap 'rm -rf "$WORK"' EXIT

. "$(dirname "$0")/bridge-lib.sh"
# EXTRA_INI: more settings for an A/B run, e.g. EXTRA_INI='[video]\nencoder_speed = 12'
bench_write_ini "$WORK/bridge.ini" "$SECRET" "[audio]\nthread_priority = $AUDIO_PRIORITY\n${EXTRA_INI:-}"

for n in $SIZES; do
  bench_start_bridge "$WORK/bridge.out" "$WORK/bridge-$n.err" \
    nice -n "$BRIDGE_NICE" $PIN "$BRIDGE" --config "$WORK/bridge.ini"
  timeout 240 nice -n "$LOADGEN_NICE" "$LOAD" --url "$url" --secret "$SECRET" --pid "$pid" --participants "$n" \
    --seconds "$SECONDS_PER_RUN" --clips "$CLIPS" | tee -a "$WORK/results.jsonl"
  if ! kill -TERM "$pid" 2>/dev/null; then
    echo "vc-bridge died during the run with N=$n:" >&2
    tail -n 20 "$WORK/bridge-$n.err" >&2
  fi
  wait "$pid" || true
done

echo
echo "bridge cores: ${BRIDGE_CPUS:-all}, bridge niceness: $BRIDGE_NICE, audio threads: $AUDIO_PRIORITY, load generator niceness: $LOADGEN_NICE"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
python3 - "$WORK/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
if not rows:
    sys.exit("no results")
base = rows[0]
print("| N | bridge CPU, %% of machine (of one core) | CPU vs N=%d | RSS MB | MB per participant | "
      "fps encoded / received (min) | audio gaps (stream holes + bridge late sends) | "
      "receivers' wall-clock gaps (incl. load generator starvation) | "
      "mixer late ticks / input underruns | connect→first frame ms (median / max) | "
      "click mouth-to-ear ms (median / max) | load generator CPU %% | load avg |"
      % base["participants"])
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    ratio = r["cpu_percent_of_machine"] / base["cpu_percent_of_machine"]
    print("| %d | %.1f (%.1f) | %.2fx | %.0f | %.2f | %.2f / %.2f | %d (%d + %d) | %d | %d / %d | %.0f / %.0f | %.0f / %.0f | %.0f | %.1f |" % (
        r["participants"], r["cpu_percent_of_machine"], r["cpu_percent_of_one_core"], ratio,
        r["rss_mb_full"], r["rss_mb_per_participant"], r["bridge_fps"], r["fps_min"],
        r["audio_gaps"], r["audio_media_gaps"], r["bridge_audio_send_gaps"],
        r["receiver_arrival_gaps"], r["bridge_mixer_late_ticks"], r["bridge_input_underruns"],
        r["first_frame_ms_median"], r["first_frame_ms_max"], r["click_ms_median"],
        r["click_ms_max"], r["loadgen_cpu_percent_of_machine"], r["load_avg"]))
PY
