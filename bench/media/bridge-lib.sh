# bridge-lib.sh — sourced by the bridge benchmarks (run-bridge-bench.sh,
# run-join-leave.sh): a loopback-only bridge.ini and a bridge started on
# 127.0.0.1:0, ready once it prints its address.

# bench_write_ini FILE SECRET [LINES]: listen on 127.0.0.1:0, ICE on
# loopback only; LINES (printf %b escapes) are appended.
bench_write_ini () {
  cat > "$1" <<INI
[bridge]
listen = 127.0.0.1:0
secret = $2
capacity = 100
[ice]
addresses = 127.0.0.1
INI
  [ -z "${3:-}" ] || printf '%b\n' "$3" >> "$1"
}

# bench_start_bridge OUT ERR COMMAND...: runs COMMAND in the background and
# waits (at most 10 s) for the address it prints; sets $pid and $url.
bench_start_bridge () {
  out=$1 err=$2
  shift 2
  "$@" > "$out" 2> "$err" &
  pid=$!
  url=""
  for _ in $(seq 1 100); do
    url=$(grep -o 'http://[0-9.]*:[0-9]*' "$out" 2>/dev/null || true)
    [ -n "$url" ] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "vc-bridge died:" >&2; cat "$err" >&2; exit 1; }
    sleep 0.1 # polling the printed port line, bounded to 10 s
  done
  echo "vc-bridge did not print its address" >&2
  kill "$pid"
  exit 1
}
