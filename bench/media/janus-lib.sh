# janus-lib.sh — sourced by run-janus-compare.sh and the Janus integration
# test: a Janus (Debian's `janus` package) that serves one AudioBridge room
# on loopback only, from its own configuration folder.

# janus_check: Janus and its AudioBridge plugin are installed; sets
# $janus_libdir (plugins/, transports/ ...). Exits 77 (skip) otherwise.
janus_check () {
  janus_libdir=""
  for d in /usr/lib/*/janus /usr/lib/janus /usr/local/lib/janus; do
    [ -e "$d/plugins/libjanus_audiobridge.so" ] && { janus_libdir=$d; break; }
  done
  if ! command -v janus > /dev/null || [ -z "$janus_libdir" ]; then
    echo "Janus with its AudioBridge plugin is not installed: apt-get install janus" >&2
    exit 77
  fi
}

# janus_free_port: a TCP port free on 127.0.0.1 right now
janus_free_port () {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# the plugins (or transports ...) in $janus_libdir/KIND other than KEEP, comma-separated
janus_others () {
  ls "$janus_libdir/$1" 2>/dev/null | grep '\.so$' | grep -v "^$2\$" | paste -sd, -
}

# janus_write_config DIR PORT ROOM: janus.jcfg (ICE on lo only, every other
# plugin, transport, event handler and logger disabled), the WebSocket
# transport on 127.0.0.1:PORT (no admin API), and AudioBridge room ROOM
# mixing at 48 kHz, not recorded.
janus_write_config () {
  cat > "$1/janus.jcfg" <<CFG
general: {
	configs_folder = "$1"
	plugins_folder = "$janus_libdir/plugins"
	transports_folder = "$janus_libdir/transports"
	events_folder = "$janus_libdir/events"
	loggers_folder = "$janus_libdir/loggers"
	debug_level = 4
	interface = "127.0.0.1"
	session_timeout = 60
	hide_dependencies = true
}
media: {
	ipv6 = false
}
nat: {
	ice_enforce_list = "lo"
	ignore_mdns = true
	full_trickle = false
}
plugins: {
	disable = "$(janus_others plugins libjanus_audiobridge.so)"
}
transports: {
	disable = "$(janus_others transports libjanus_websockets.so)"
}
events: {
	broadcast = false
	disable = "$(janus_others events none)"
}
loggers: {
	disable = "$(janus_others loggers none)"
}
CFG
  cat > "$1/janus.transport.websockets.jcfg" <<CFG
general: {
	json = "compact"
	ws = true
	ws_port = $2
	ws_ip = "127.0.0.1"
	wss = false
}
admin: {
	admin_ws = false
	admin_wss = false
}
CFG
  cat > "$1/janus.plugin.audiobridge.jcfg" <<CFG
general: {
	events = false
}
room-$3: {
	description = "vc-province benchmark"
	sampling_rate = 48000
	audio_active_packets = 50
	audio_level_average = 25
	record = false
}
CFG
}

# janus_start DIR PORT LOG SHIM [nice -n X]: starts Janus in the background
# with DIR's configuration and SHIM (build/bench/media/janus-loopback-shim.so,
# see janus-loopback-shim.c) preloaded, and waits (at most 20 s) until its
# WebSocket transport says it listens on PORT; sets $janus_pid and $janus_url.
janus_start () {
  dir=$1 port=$2 log=$3 shim=$4
  shift 4
  [ -e "$shim" ] || { echo "no $shim: build the project first" >&2; return 1; }
  "$@" env LD_PRELOAD="$shim" janus --configs-folder="$dir" --config="$dir/janus.jcfg" \
    --disable-colors > "$log" 2>&1 &
  janus_pid=$!
  janus_url="ws://127.0.0.1:$port/"
  for _ in $(seq 1 200); do
    grep -qi "websockets server started (port $port)" "$log" 2>/dev/null && return 0
    kill -0 "$janus_pid" 2>/dev/null || { echo "janus died:" >&2; tail -n 30 "$log" >&2; return 1; }
    sleep 0.1 # polling its log for the listening line, bounded to 20 s
  done
  echo "janus did not start its WebSocket transport on port $port" >&2
  tail -n 30 "$log" >&2
  kill "$janus_pid"
  return 1
}
