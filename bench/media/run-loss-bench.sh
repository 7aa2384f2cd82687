#!/bin/sh
# run-loss-bench.sh — video and audio through vc-bridge on lossy links
# (issue #12, item 15).
#
#   bench/media/run-loss-bench.sh [BUILD_DIR] [SECONDS]
#
# For each case: starts build/media/vc-bridge on 127.0.0.1:0 (its own
# process), waits for its "listening" line, runs vc-bridge-load with N
# (default 6) decoding participants that send live-encoded video, every
# participant's link on the emulated network of the case (vc-netem, in the
# load generator, both ways: docs/bridge.md "Loss and jitter in tests"),
# stops the bridge. Prints one JSON line per case, then a table. The cases:
# 0 % (baseline), 2, 5 and 10 % loss (RTP/RTCP; STUN and DTLS spared, so
# the figures are about media, not the DTLS handshake's 1 s timer), 100 ms
# of jitter, and a 3 s outage of one participant's link at 5 % loss.
# Everything stays on loopback. About 4 minutes with SECONDS=20.
set -eu

BUILD=${1:-build}
SECONDS_PER_RUN=${2:-20}
N=${N:-6}
# case name and netem spec, one per line; "outage" cases cut participant
# 1's link for 3 s, 5 s into the window
CASES=${CASES:-"0%:loss=0,packets=media
2%:loss=2,packets=media
5%:loss=5,packets=media
10%:loss=10,packets=media
jitter-100ms:jitter=100,packets=media
outage-3s-at-5%:loss=5,packets=media:outage"}
BRIDGE_NICE=${BRIDGE_NICE:--15} # as conf/systemd/vc-bridge.service
BRIDGE=${BRIDGE:-"$BUILD/media/vc-bridge"}
LOAD="$BUILD/bench/media/vc-bridge-load"
WORK=$(mktemp -d)
SECRET="bench-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
CLIPS=${CLIPS:-"$BUILD/bench/media/clips"}
trap 'rm -rf "$WORK"' EXIT

. "$(dirname "$0")/bridge-lib.sh"
# EXTRA_INI: more settings for an A/B run, e.g. EXTRA_INI='[video]\nkeyframe_min_interval_ms = 1000'
bench_write_ini "$WORK/bridge.ini" "$SECRET" "${EXTRA_INI:-}"

printf '%s\n' "$CASES" > "$WORK/cases"
# the cases on descriptor 3: the bridge and the load generator keep stdin
while IFS=: read -r name spec outage <&3; do
  [ -n "$name" ] || continue
  extra=""
  [ "$outage" = "outage" ] && extra="--outage-at 5 --outage-seconds 3"
  bench_start_bridge "$WORK/bridge.out" "$WORK/bridge-$name.err" \
    nice -n "$BRIDGE_NICE" "$BRIDGE" --config "$WORK/bridge.ini"
  # shellcheck disable=SC2086 # $extra is a list of options
  timeout 240 "$LOAD" --url "$url" --secret "$SECRET" --pid "$pid" --participants "$N" \
    --seconds "$SECONDS_PER_RUN" --clips "$CLIPS" --decode --live-video --netem "$spec" $extra \
    | sed "s/^{/{\"case\":\"$name\",/" | tee -a "$WORK/results.jsonl"
  if ! kill -TERM "$pid" 2>/dev/null; then
    echo "vc-bridge died during the case $name:" >&2
    tail -n 20 "$WORK/bridge-$name.err" >&2
  fi
  wait "$pid" || true
done 3< "$WORK/cases"

echo
echo "N = $N, $SECONDS_PER_RUN s per case, bridge niceness $BRIDGE_NICE${EXTRA_INI:+, extra settings: $EXTRA_INI}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
if not rows:
    sys.exit("no results")
print("| case | receivers: decoded fps (min / mean) | freezes > 1 s | longest gap ms | "
      "tiles at the bridge: freezes > 1 s / longest still ms | keyframes (composite) | "
      "audio gaps > 100 ms: receivers + bridge sends / bridge input | audio lost at receivers | "
      "connect → first frame ms (median / max) | recovery after the outage ms: composite / tile | "
      "bridge CPU % of machine | load avg |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    rec = "–"
    if r.get("outage_seconds", 0) > 0:
        rec = "%.0f / %.0f" % (r["recovery_rx_ms"], r["recovery_tile_ms"])
    print("| %s | %.1f / %.1f | %d | %.0f | %d / %.0f | %d | %d / %d | %d | %.0f / %.0f | %s | %.1f | %.1f |" % (
        r["case"], r["fps_min"], r["fps_mean"], r["video_freezes"], r["video_longest_gap_ms"],
        r["tile_freezes"], r["tile_longest_still_ms"], r["bridge_keyframes"],
        r["audio_gaps"], r["bridge_audio_input_gaps"], r["audio_lost"],
        r["connected_first_frame_ms_median"], r["connected_first_frame_ms_max"], rec,
        r["cpu_percent_of_machine"], r["load_avg"]))
PY
