#!/bin/sh
# run-cascade-bench.sh — bridge-to-bridge links (issue #15): mouth-to-ear across
# two link hops next to one flat bridge, and what a link costs against a room.
#
#   bench/media/run-cascade-bench.sh [BUILD_DIR] [SECONDS]
#
# BRIDGE=PATH runs another vc-bridge (say, a copy built before a change, for
# a before/after in the same session); BRIDGE_INI="[media]\nKEY = VALUE"
# adds lines to every bridge's configuration (printf %b escapes).
#
# Starts four vc-bridge processes on 127.0.0.1:0 (a flat bridge, a parent P and
# two children A and B, so that each one's CPU is measured alone), runs
# vc-cascade-bench (bench/media/vc-cascade-bench.c says what it measures),
# stops them. Prints one JSON line, then a summary. Everything stays on
# loopback. Takes about 4 × SECONDS plus a minute.
set -eu

BUILD=${1:-build}
SECONDS_PER_WINDOW=${2:-20}
BRIDGE=${BRIDGE:-"$BUILD/media/vc-bridge"}
BENCH="$BUILD/bench/media/vc-cascade-bench"
WORK=$(mktemp -d)
SECRET="bench-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
CLIPS=${CLIPS:-"$BUILD/bench/media/clips"}
PIDS=""
trap 'for p in $PIDS; do kill -TERM "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT

. "$(dirname "$0")/bridge-lib.sh"
bench_write_ini "$WORK/bridge.ini" "$SECRET" "${BRIDGE_INI:-}"

for name in flat parent a b; do
  bench_start_bridge "$WORK/$name.out" "$WORK/$name.err" "$BRIDGE" --config "$WORK/bridge.ini"
  PIDS="$PIDS $pid"
  eval "ARG_$name=\"$url,$pid\""
done

timeout 600 "$BENCH" --secret "$SECRET" --seconds "$SECONDS_PER_WINDOW" --clips "$CLIPS" \
  --flat "$ARG_flat" --parent "$ARG_parent" --a "$ARG_a" --b "$ARG_b" | tee "$WORK/result.json"

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
python3 - "$WORK/result.json" <<'PY'
import json, sys
r = json.loads([l for l in open(sys.argv[1]) if l.startswith("{")][0])
print("mouth-to-ear (click), ms: flat median %.0f max %.0f (%d clicks); two link hops median %.0f max %.0f (%d clicks)"
      % (r["flat_click_ms_median"], r["flat_click_ms_max"], r["flat_clicks"],
         r["two_hops_click_ms_median"], r["two_hops_click_ms_max"], r["two_hops_clicks"]))
print("| bridge | CPU unlinked | CPU linked (+1 room on flat) | (% of one core, mean of 2 rounds) |")
print("|---|---|---|---|")
for b in ("flat", "parent", "a", "b"):
    print("| %s | %.1f | %.1f | |" % (b, r["cpu_%s_unlinked" % b], r["cpu_%s_linked" % b]))
room = max(r["room_cpu_flat"], 0.1)
print("a link: %.1f %% on the parent (each of two), %.1f / %.1f %% on children A / B; one more room (flat): %.1f %%"
      % (r["link_cpu_parent"], r["link_cpu_child_a"], r["link_cpu_child_b"], r["room_cpu_flat"]))
print("a link in rooms: parent %.2f, child A %.2f, child B %.2f (target: at most 2)"
      % (r["link_cpu_parent"] / room, r["link_cpu_child_a"] / room, r["link_cpu_child_b"] / room))
print("a link's way up (child composite + its mix-minus), as the parent receives it: %.0f kbit/s"
      % r["link_up_kbps_mean"])
PY
