#!/bin/sh
# test-janus-call.sh — the benchmark's Janus adapter against a real Janus
# AudioBridge (meson test janus-call, suite integration):
#
#   test-janus-call.sh VC_BRIDGE_LOAD JANUS_LOOPBACK_SHIM
#
# Two participants join a room through vc-bridge-load --janus --audio-only:
# each receives audio, the first one's click reaches the second, and the
# first never hears its own click (the mix it gets is without itself). Janus
# must be installed (scripts/install-deps.sh installs it): without it the
# test fails, it is not skipped.
set -eu

LOAD=$1
SHIM=$2
WORK=$(mktemp -d)
janus_pid=""
cleanup () {
  [ -z "$janus_pid" ] || { kill -TERM "$janus_pid" 2>/dev/null || true; wait "$janus_pid" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT

. "$(dirname "$0")/janus-lib.sh"
(janus_check) || { echo "FAIL: Janus is not installed (scripts/install-deps.sh installs it)"; exit 1; }
janus_check
port=$(janus_free_port)
janus_write_config "$WORK" "$port" 4242
janus_start "$WORK" "$port" "$WORK/janus.log" "$SHIM"

if ! timeout 150 "$LOAD" --audio-only --janus "$janus_url" --janus-room 4242 --pid "$janus_pid" \
    --participants 2 --seconds 8 --clips "$WORK/clips" > "$WORK/result.json" 2> "$WORK/load.err"; then
  echo "FAIL: vc-bridge-load failed"; cat "$WORK/load.err"; tail -n 30 "$WORK/janus.log"; exit 1
fi
cat "$WORK/result.json"
python3 - "$WORK/result.json" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")][0]
problems = []
if r["server"] != "janus-audiobridge":
    problems.append("not measured against Janus")
if r["janus_failures"] != 0:
    problems.append("Janus refused or ended %d sessions" % r["janus_failures"])
# participant 0's mix (participant 1 is the probe that decodes and hears clicks)
if r["audio_packets_per_s_min"] < 40:
    problems.append("participant 0 got %.1f audio packets/s (expected ~50)" % r["audio_packets_per_s_min"])
if r["clicks"] < 2:
    problems.append("participant 1 heard %d of participant 0's clicks in 8 s (one every 2 s)" % r["clicks"])
if not 0 < r["click_ms_max"] < 1000:
    problems.append("click mouth-to-ear %.0f ms" % r["click_ms_max"])
if r["self_clicks_heard"] != 0:
    problems.append("participant 0 heard its own click %d times: the mix is not without itself"
                    % r["self_clicks_heard"])
if problems:
    sys.exit("FAIL: " + "; ".join(problems))
print("ok: audio both ways, %d clicks heard by the other participant (%.0f ms median), none by the clicker"
      % (r["clicks"], r["click_ms_median"]))
PY
