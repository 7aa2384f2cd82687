#!/bin/sh
# run-janus-compare.sh — our bridge side by side with Janus AudioBridge
# (Debian's `janus` package), audio only, N = 10, 44 and 100 participants.
#
#   bench/media/run-janus-compare.sh [BUILD_DIR] [SECONDS]
#
# One run, alternating: for each round and each N, our bridge and Janus
# (each started fresh on 127.0.0.1, ready once it says it listens, stopped
# after its window; which goes first alternates between rounds) are driven
# by the same load generator (vc-bridge-load --audio-only: the same Opus
# clip, the first participant clicking every 2 s, every participant
# receiving the mix without itself; --janus joins Janus' AudioBridge room
# through vc-janus-adapter.h). Prints one JSON line per window, then the
# table: per server and N, the median over the rounds of CPU (% of one core,
# from /proc/PID/stat over the window), RSS, audio gaps, click mouth-to-ear
# median / max, and the ratio ours / Janus.
#
# Environment: SIZES ("10 44 100"), ROUNDS (2), SERVER_NICE (-15, both
# servers, as conf/systemd/vc-bridge.service runs ours), LOADGEN_NICE (0).
# Needs `apt-get install janus` (exits 77 without it). Everything stays on
# 127.0.0.1: Janus is held there by ice_enforce_list and
# janus-loopback-shim.c, and the adapter refuses any other candidate.
set -eu

BUILD=${1:-build}
SECONDS_PER_RUN=${2:-30}
SIZES=${SIZES:-"10 44 100"}
ROUNDS=${ROUNDS:-2}
SERVER_NICE=${SERVER_NICE:--15}
LOADGEN_NICE=${LOADGEN_NICE:-0}
BRIDGE=${BRIDGE:-"$BUILD/media/vc-bridge"}
LOAD="$BUILD/bench/media/vc-bridge-load"
SHIM="$(cd "$BUILD" && pwd)/bench/media/janus-loopback-shim.so"
CLIPS=${CLIPS:-"$BUILD/bench/media/clips"}
ROOM=1234
WORK=$(mktemp -d)
SECRET="bench-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
trap 'rm -rf "$WORK"' EXIT

HERE=$(dirname "$0")
. "$HERE/bridge-lib.sh"
. "$HERE/janus-lib.sh"
janus_check
bench_write_ini "$WORK/bridge.ini" "$SECRET"
mkdir -p "$WORK/janus"

# run_ours N ROUND / run_janus N ROUND: one window, its JSON line appended
run_ours () {
  bench_start_bridge "$WORK/bridge.out" "$WORK/bridge-$1-$2.err" \
    nice -n "$SERVER_NICE" "$BRIDGE" --config "$WORK/bridge.ini"
  timeout 400 nice -n "$LOADGEN_NICE" "$LOAD" --audio-only --url "$url" --secret "$SECRET" \
    --pid "$pid" --participants "$1" --seconds "$SECONDS_PER_RUN" --clips "$CLIPS" \
    | sed "s/^{/{\"round\":$2,/" | tee -a "$WORK/results.jsonl"
  kill -TERM "$pid" 2>/dev/null || { echo "vc-bridge died (N=$1):" >&2; tail -n 20 "$WORK/bridge-$1-$2.err" >&2; }
  wait "$pid" || true
}

run_janus () {
  port=$(janus_free_port)
  janus_write_config "$WORK/janus" "$port" "$ROOM"
  janus_start "$WORK/janus" "$port" "$WORK/janus-$1-$2.log" "$SHIM" nice -n "$SERVER_NICE"
  timeout 400 nice -n "$LOADGEN_NICE" "$LOAD" --audio-only --janus "$janus_url" \
    --janus-room "$ROOM" --pid "$janus_pid" --participants "$1" --seconds "$SECONDS_PER_RUN" \
    --clips "$CLIPS" | sed "s/^{/{\"round\":$2,/" | tee -a "$WORK/results.jsonl"
  kill -TERM "$janus_pid" 2>/dev/null || { echo "janus died (N=$1):" >&2; tail -n 20 "$WORK/janus-$1-$2.log" >&2; }
  wait "$janus_pid" || true
}

round=1
while [ "$round" -le "$ROUNDS" ]; do
  for n in $SIZES; do
    if [ $((round % 2)) -eq 1 ]; then
      run_ours "$n" "$round"; run_janus "$n" "$round"
    else
      run_janus "$n" "$round"; run_ours "$n" "$round"
    fi
  done
  round=$((round + 1))
done

echo
echo "servers' niceness: $SERVER_NICE, load generator niceness: $LOADGEN_NICE, $ROUNDS rounds of $SECONDS_PER_RUN s"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), janus $(janus --version 2>/dev/null | head -n1 | sed 's/.*(\(.*\))/\1/')"
python3 - "$WORK/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
if not rows:
    sys.exit("no results")
def med(rs, k):
    return statistics.median(r[k] for r in rs)
print("| N | server | windows | CPU % of one core (median; each round) | RSS MB | audio gaps "
      "(receivers' stream holes; + our bridge's late sends) | lost packets | audio packets/s "
      "per receiver (min) | click mouth-to-ear ms (median / max) | own click heard back | "
      "load avg |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
ratios = []
for n in sorted({r["participants"] for r in rows}):
    cpu = {}
    for server in ("vc-bridge", "janus-audiobridge"):
        rs = [r for r in rows if r["participants"] == n and r["server"] == server]
        if not rs:
            continue
        cpu[server] = med(rs, "cpu_percent_of_one_core")
        print("| %d | %s | %d | %.1f (%s) | %.0f | %d | %d | %.1f | %.0f / %.0f | %d | %.1f |" % (
            n, server, len(rs), cpu[server],
            ", ".join("%.1f" % r["cpu_percent_of_one_core"] for r in rs),
            med(rs, "rss_mb_full"), sum(r["audio_gaps"] for r in rs),
            sum(r["audio_lost"] for r in rs), min(r["audio_packets_per_s_min"] for r in rs),
            med(rs, "click_ms_median"), max(r["click_ms_max"] for r in rs),
            sum(r.get("self_clicks_heard", 0) for r in rs), med(rs, "load_avg")))
    if len(cpu) == 2 and cpu["janus-audiobridge"] > 0:
        ratios.append((n, cpu["vc-bridge"] / cpu["janus-audiobridge"]))
print()
for n, ratio in ratios:
    print("N=%d: our bridge's CPU / Janus' = %.2f (target <= 0.5: %s)"
          % (n, ratio, "met" if ratio <= 0.5 else "NOT met"))
PY
