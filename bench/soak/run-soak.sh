#!/bin/sh
# run-soak.sh — do vc-scheduler and vc-bridge give back every file, thread
# and byte over a long run of ordinary traffic?
#
#   bench/soak/run-soak.sh [BUILD_DIR] [SECONDS] [SAMPLE_EVERY_SECONDS]
#   e.g. bench/soak/run-soak.sh build 3600 300     (the hour in docs/benchmarks.md)
#
# One scheduler and one bridge, each its own process on 127.0.0.1:0 (ready
# when it prints its address). Each round, until SECONDS have passed:
#   - 6 participants of vc-bridge-load join room "bench" for 4 s, then the
#     room is deleted (joins, media, leaves);
#   - 60 page loads with curl, each a new connection closed after one
#     request (the web UI's page, a script, the API, /healthz, /metrics);
#   - 4 bookings through the API and 2 of them cancelled.
# Every SAMPLE_EVERY_SECONDS, between two rounds and 3 s after the room
# was deleted (the bridge trims its heap 2 s after the last teardown), it
# prints both processes' open files, threads and VmRSS. At the end it
# compares the last sample with the first one taken after the warm-up (the
# second sample): each must be within 5 %
# (files and threads: within 5 % or 2, whichever is more). Exit 0 when all
# are, 1 otherwise. Everything stays on loopback.
set -eu

here=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-build}
DURATION=${2:-600}
EVERY=${3:-60}
case "$BUILD" in /*) ;; *) BUILD="$here/$BUILD" ;; esac
BRIDGE="$BUILD/media/vc-bridge"
SCHED="$BUILD/scheduler/vc-scheduler"
LOAD="$BUILD/bench/media/vc-bridge-load"
CLIPS=${CLIPS:-"$BUILD/bench/media/clips"}
WORK=$(mktemp -d)
SECRET="soak-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
pid="" spid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null; [ -z "$spid" ] || kill "$spid" 2>/dev/null; rm -rf "$WORK"' EXIT

. "$here/bench/media/bridge-lib.sh"
bench_write_ini "$WORK/bridge.ini" "$SECRET"
bench_start_bridge "$WORK/bridge.out" "$WORK/bridge.err" "$BRIDGE" --config "$WORK/bridge.ini"
bpid=$pid bridge_url=$url

cat > "$WORK/scheduler.ini" <<INI
[server]
listen = 127.0.0.1:0
[database]
path = $WORK/soak.db
[bridge]
url = $bridge_url
secret = $SECRET
INI
"$SCHED" --config "$WORK/scheduler.ini" > "$WORK/sched.out" 2> "$WORK/sched.err" &
spid=$!
surl=""
for _ in $(seq 1 100); do
  surl=$(grep -o 'http://[0-9.]*:[0-9]*' "$WORK/sched.out" 2>/dev/null || true)
  [ -n "$surl" ] && break
  sleep 0.1 # polling the printed port line, bounded to 10 s
done
[ -n "$surl" ] || { echo "vc-scheduler did not print its address" >&2; cat "$WORK/sched.err" >&2; exit 1; }
TOKEN=$("$SCHED" --config "$WORK/scheduler.ini" token create --role admin --name soak)

# sample PID: open files, threads, VmRSS in KiB
sample () {
  printf '%s %s %s' "$(ls "/proc/$1/fd" | wc -l)" "$(ls "/proc/$1/task" | wc -l)" \
    "$(awk '/VmRSS/ {print $2}' "/proc/$1/status")"
}

# A booking on a day far enough ahead, one hour, two rooms of the roster.
book () {
  day=$(date -u -d "+$((30 + $1 % 300)) days" +%Y-%m-%d)
  hour=$((1 + $1 % 8))
  curl -s -o "$WORK/booking.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' \
    -d "{\"title\":\"Soak $1\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-tinh\",
         \"endpoints\":[\"ubnd-tinh\",\"tinh-uy\"],
         \"start\":\"${day}T0${hour}:00:00Z\",\"end\":\"${day}T0${hour}:30:00Z\"}" \
    "$surl/api/v1/meetings"
}

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "elapsed s | rounds | scheduler files threads RSS-KiB | bridge files threads RSS-KiB | bookings ok/refused"
start=$(date +%s) next=0 round=0 booked=0 refused=0 first="" last="" load_failures=0
while :; do
  now=$(($(date +%s) - start))
  if [ "$now" -ge "$next" ]; then
    # Compare like with like: no room open, and the bridge's heap trim,
    # which runs 2 s after the last participant's teardown, done.
    [ "$round" -gt 0 ] && sleep 3
    line="$(sample "$spid") | $(sample "$bpid")"
    echo "$now | $round | $line | $booked/$refused"
    [ "$round" -gt 0 ] && [ -z "$first" ] && first=$line
    last=$line
    next=$((next + EVERY))
  fi
  [ "$now" -ge "$DURATION" ] && break
  round=$((round + 1))
  rc=0
  timeout 90 "$LOAD" --url "$bridge_url" --secret "$SECRET" --pid "$bpid" --participants 6 \
    --seconds 4 --clips "$CLIPS" > "$WORK/load.out" 2> "$WORK/load.err" || rc=$?
  if [ "$rc" != 0 ]; then
    load_failures=$((load_failures + 1))
    echo "round $round: vc-bridge-load exited $rc: $(tail -n 3 "$WORK/load.err" | tr '\n' ' ')" >&2
  fi
  kill -0 "$bpid" 2>/dev/null || { echo "vc-bridge died" >&2; tail -n 20 "$WORK/bridge.err" >&2; exit 1; }
  kill -0 "$spid" 2>/dev/null || { echo "vc-scheduler died" >&2; tail -n 20 "$WORK/sched.err" >&2; exit 1; }
  curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $SECRET" "$bridge_url/rooms/bench"
  for i in $(seq 1 12); do
    for path in / /static/js/app.js /healthz /metrics "/api/v1/meetings?from=2026-01-01&to=2026-01-31"; do
      curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$surl$path"
    done
  done
  for i in 1 2 3 4; do
    code=$(book "$((round * 4 + i))")
    if [ "$code" = 201 ]; then
      booked=$((booked + 1))
      id=$(grep -o '"id":[0-9]*' "$WORK/booking.json" | head -1 | cut -d: -f2)
      if [ $((i % 2)) = 0 ] && [ -n "$id" ]; then
        curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $TOKEN" "$surl/api/v1/meetings/$id"
      fi
    else
      refused=$((refused + 1))
    fi
  done
done

# within 5 % (files and threads: or within 2)
verdict=0
echo "load generator failures: $load_failures of $round rounds"
set -- $first
f1=$1 t1=$2 r1=$3 f2=$5 t2=$6 r2=$7
set -- $last
for pair in "scheduler files:$f1:$1" "scheduler threads:$t1:$2" "scheduler RSS:$r1:$3" \
            "bridge files:$f2:$5" "bridge threads:$t2:$6" "bridge RSS:$r2:$7"; do
  name=${pair%%:*} rest=${pair#*:} a=${rest%%:*} b=${rest#*:}
  ok=$(awk -v a="$a" -v b="$b" -v n="$name" 'BEGIN {
    d = b - a; if (d < 0) d = -d;
    slack = (n ~ /RSS/) ? 0 : 2;
    print (d <= a * 0.05 || d <= slack) ? "ok" : "GROWN" }')
  echo "$name: $a -> $b ($ok)"
  [ "$ok" = ok ] || verdict=1
done
exit $verdict
