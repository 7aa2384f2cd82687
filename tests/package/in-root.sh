#!/bin/sh
# in-root.sh — the checks of tests/package inside the throw-away root
# (in-overlay.sh): the packages in /tmp/pkg installed with dpkg as on a
# province's server, and the programs run as their units run them.
set -eu
pkg=/tmp/pkg
logs=/tmp/logs
mkdir -p "$logs"
step() { echo "== $*"; }
fail() {
  echo "FAIL: $*"
  for f in "$logs"/*.log; do
    [ -s "$f" ] && { echo "--- $f"; tail -n 15 "$f"; }
  done
  exit 1
}

# ---- install ----
step "dpkg -i (no systemd running here: nothing is started)"
[ ! -d /run/systemd/system ] || fail "systemd seems to run in this root"
for p in vc-scheduler vc-bridge vc-endpoint vc-province-demo; do
  ! dpkg -s "$p" >/dev/null 2>&1 || fail "$p is installed before the test"
done
dpkg -i "$pkg"/vc-scheduler_*.deb "$pkg"/vc-bridge_*.deb "$pkg"/vc-endpoint_*.deb \
  "$pkg"/vc-province-demo_*.deb >"$logs/dpkg.log" 2>&1 || fail "dpkg -i"

for u in vc-scheduler vc-bridge vc-room; do
  getent passwd "$u" >/dev/null || fail "no user $u"
done
id -nG vc-room | grep -qw video || fail "vc-room is not in group video"
[ "$(stat -c '%U %a' /var/lib/vc-scheduler)" = "vc-scheduler 750" ] \
  || fail "/var/lib/vc-scheduler: $(stat -c '%U %a' /var/lib/vc-scheduler)"
for c in scheduler:vc-scheduler bridge:vc-bridge; do
  f=/etc/vc-province/${c%%:*}.ini
  [ "$(stat -c '%U:%G %a' "$f")" = "root:${c#*:} 640" ] || fail "$f: $(stat -c '%U:%G %a' "$f")"
done
secret_of() { sed -n '/^\[bridge\]/,/^\[/s/^secret=//p' "$1"; }
secret=$(secret_of /etc/vc-province/scheduler.ini)
[ ${#secret} -ge 32 ] || fail "no secret in scheduler.ini"
[ "$secret" = "$(secret_of /etc/vc-province/bridge.ini)" ] || fail "the two secrets differ"
for u in vc-scheduler vc-bridge; do
  [ -L "/etc/systemd/system/multi-user.target.wants/$u.service" ] || fail "$u.service not enabled"
done
! ls /etc/systemd/system/multi-user.target.wants/ | grep -q vc-endpoint \
  || fail "a vc-endpoint unit was enabled without a room"
echo "users, state folder, configuration with one new shared secret, units enabled"

# ---- units ----
step "systemd-analyze verify"
units="/lib/systemd/system/vc-scheduler.service /lib/systemd/system/vc-bridge.service"
# A template is verified through an instance (a room code).
cp /lib/systemd/system/vc-endpoint@.service /run/vc-endpoint@ubnd-tinh.service
systemd-analyze verify $units /run/vc-endpoint@ubnd-tinh.service >"$logs/verify.log" 2>&1 \
  || fail "systemd-analyze verify: $(cat "$logs/verify.log")"
[ ! -s "$logs/verify.log" ] || fail "systemd-analyze verify said: $(cat "$logs/verify.log")"
echo "verified: $units vc-endpoint@.service"

# ---- run as the units run them ----
# ExecStart=, User= and WorkingDirectory= of a unit file.
unit_key() { sed -n "s/^$2=//p" "$1" | head -n 1; }
pids=
# start NAME UNIT-FILE: as the unit's user, in its folder.
start() {
  name=$1
  unit=$2
  user=$(unit_key "$unit" User)
  dir=$(unit_key "$unit" WorkingDirectory)
  exec_start=$(unit_key "$unit" ExecStart)
  home=$(getent passwd "$user" | cut -d: -f6)
  (
    cd "${dir:-/}"
    # A clean environment, as systemd gives a service.
    # shellcheck disable=SC2086 # ExecStart is a plain word list
    exec env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 G_DEBUG="${G_DEBUG:-}" \
      setpriv --reuid="$user" --regid="$user" --init-groups -- $exec_start
  ) >"$logs/$name.out" 2>"$logs/$name.log" &
  eval "pid_$name=$!"
}
# wait_line NAME TEXT: until NAME printed TEXT (60 s at most).
wait_line() {
  i=0
  until grep -q "$2" "$logs/$1.out"; do
    eval "kill -0 \$pid_$1" 2>/dev/null || fail "$1 exited before printing '$2'"
    i=$((i + 1))
    [ $i -lt 600 ] || fail "$1 did not print '$2' within 60 s"
    sleep 0.1
  done
}
stop() {
  eval "p=\$pid_$1"
  kill -TERM "$p"
  status=0
  wait "$p" || status=$?
  [ $status = 0 ] || fail "$1 exited with $status after SIGTERM"
}

step "vc-bridge and vc-scheduler from their units"
start bridge /lib/systemd/system/vc-bridge.service
wait_line bridge "listening on http://127.0.0.1:8090"
curl -fsS --max-time 10 http://127.0.0.1:8090/healthz >/dev/null || fail "bridge /healthz"
curl -fsS --max-time 10 -H "Authorization: Bearer $secret" http://127.0.0.1:8090/capacity \
  >/dev/null || fail "bridge /capacity with the installed secret"
start scheduler /lib/systemd/system/vc-scheduler.service
wait_line scheduler "listening on http://127.0.0.1:8080"
base=http://127.0.0.1:8080
curl -fsS --max-time 10 "$base/healthz" >/dev/null || fail "scheduler /healthz"
grep -q "loaded the roster /usr/share/vc-province/roster-nghe-an.ini into /var/lib/vc-scheduler/vc-scheduler.db" \
  "$logs/scheduler.log" || fail "the roster or the database is not where installed"
[ "$(stat -c %U /var/lib/vc-scheduler/vc-scheduler.db)" = vc-scheduler ] || fail "database owner"
curl -fsS --max-time 10 "$base/" | grep -q "<html" || fail "web UI from /usr/share/vc-province/web"
curl -fsS --max-time 10 "$base/vendor/chart.js/dist/chart.umd.js" >/dev/null || fail "Chart.js"
echo "both answer /healthz; roster, database, web UI and Chart.js from the installed paths"

step "the operator's commands use the installed configuration (no --config)"
as_scheduler() { setpriv --reuid=vc-scheduler --regid=vc-scheduler --init-groups -- "$@"; }
admin=$(as_scheduler vc-scheduler token create --role admin --name "package test") \
  || fail "token create"
curl -fsS --max-time 10 -H "Authorization: Bearer $admin" "$base/api/v1/me" | grep -q '"admin"' \
  || fail "the token made by the CLI is not the running scheduler's"
room_token=$(as_scheduler vc-scheduler token create --role endpoint --endpoint ubnd-tinh \
  --name "Agent UBND tỉnh") || fail "token create --role endpoint"

step "vc-endpoint@ubnd-tinh with a room configured from the installed template"
conf=/etc/vc-province/endpoint-ubnd-tinh.ini
sed -e "s/^code=\$/code=ubnd-tinh/" -e "s/^token=\$/token=$room_token/" \
  -e "s|/var/lib/vc-endpoint/CODE/|/var/lib/vc-endpoint/ubnd-tinh/|" \
  -e "s/^video=.*/video=test/" -e "s/^audio=.*/audio=test/" -e "s/^output=.*/output=none/" \
  /usr/share/vc-province/conf/endpoint.ini >"$conf"
chgrp vc-room "$conf"
chmod 640 "$conf"
# What StateDirectory=vc-endpoint/%i makes.
install -d -o vc-room -g vc-room -m 750 /var/lib/vc-endpoint/ubnd-tinh
sed "s/%i/ubnd-tinh/g" /lib/systemd/system/vc-endpoint@.service >/run/endpoint-instance
start endpoint /run/endpoint-instance
wait_line endpoint "vc-endpoint ubnd-tinh started"
i=0
until curl -fsS --max-time 10 -H "Authorization: Bearer $admin" \
  "$base/api/v1/endpoints/ubnd-tinh" | grep -q '"online":true'; do
  i=$((i + 1))
  [ $i -lt 300 ] || fail "ubnd-tinh is not online at the scheduler after 30 s"
  sleep 0.1
done
[ -f /var/lib/vc-endpoint/ubnd-tinh/vc-endpoint.db ] || fail "no journal in the state folder"
echo "the room agent is online at the scheduler; its journal is in /var/lib/vc-endpoint/ubnd-tinh"

step "stopping (SIGTERM, as systemctl stop)"
stop endpoint
stop scheduler
stop bridge
echo "all three exited with 0"

# ---- an old database, upgraded by the packaged scheduler ----
step "upgrade of a schema-1 database by the installed vc-scheduler"
VC_UPGRADE_AS=vc-scheduler sh "$pkg/check-upgrade.sh" /var/lib/vc-scheduler/vc-scheduler.db \
  /usr/bin/vc-scheduler --config /etc/vc-province/scheduler.ini >"$logs/upgrade.out" 2>&1 \
  || { cat "$logs/upgrade.out"; fail "check-upgrade.sh"; }
cat "$logs/upgrade.out"

# ---- a newer package over this one ----
step "upgrade to a newer version of the packages"
# The operator's edit must survive.
sed -i 's/^listen=127.0.0.1:8080$/listen=127.0.0.1:8081/' /etc/vc-province/scheduler.ini
sums=$(sha256sum /etc/vc-province/*.ini /var/lib/vc-scheduler/vc-scheduler.db)
mkdir -p /tmp/newer
for deb in "$pkg"/vc-*.deb; do
  d=/tmp/newer/$(basename "$deb" .deb)
  dpkg-deb -R "$deb" "$d"
  sed -i 's/^Version: \(.*\)$/Version: \1+upgrade1/' "$d/DEBIAN/control"
  sed -i 's/(= \([^)]*\))/(= \1+upgrade1)/g' "$d/DEBIAN/control"
  dpkg-deb -b "$d" "$d.deb" >/dev/null
done
old=$(dpkg-query -W -f '${Version}' vc-scheduler)
dpkg -i /tmp/newer/*.deb >"$logs/dpkg-upgrade.log" 2>&1 || fail "dpkg -i of the newer packages"
new=$(dpkg-query -W -f '${Version}' vc-scheduler)
[ "$new" = "$old+upgrade1" ] || fail "vc-scheduler is $new after the upgrade"
[ "$(sha256sum /etc/vc-province/*.ini /var/lib/vc-scheduler/vc-scheduler.db)" = "$sums" ] \
  || fail "the upgrade changed the configuration or the database"
start scheduler /lib/systemd/system/vc-scheduler.service
wait_line scheduler "listening on http://127.0.0.1:8081"
curl -fsS --max-time 10 -H "Authorization: Bearer fixture-admin-token-0000000000000000000000000" \
  "http://127.0.0.1:8081/api/v1/me" | grep -q '"admin"' || fail "tokens lost in the upgrade"
stop scheduler
echo "$old -> $new: configuration (with the operator's edit), secret and database kept"

# ---- the demo package: vc-stack starts its installed siblings ----
step "vc-stack --rooms 2 from vc-province-demo"
mkdir -p /tmp/demo
(
  cd /tmp/demo
  exec env -i PATH=/usr/bin:/bin HOME=/tmp/demo LANG=C.UTF-8 G_DEBUG="${G_DEBUG:-}" \
    vc-stack --rooms 2 --state-dir /tmp/demo/var --listen 127.0.0.1:8085
) >"$logs/stack.out" 2>"$logs/stack.log" &
pid_stack=$!
i=0
until grep -q "vc-stack ready: web UI at http://127.0.0.1:8085/" "$logs/stack.out"; do
  kill -0 "$pid_stack" 2>/dev/null || fail "vc-stack exited before it was ready"
  i=$((i + 1))
  [ $i -lt 1200 ] || fail "vc-stack not ready within 120 s"
  sleep 0.1
done
grep -q "rooms: 2 agents online" "$logs/stack.out" || fail "vc-stack: $(cat "$logs/stack.out")"
stop stack
echo "vc-stack ran /usr/bin's bridge, scheduler and two agents, and stopped with 0"

# ---- purge ----
step "dpkg --purge"
dpkg --purge vc-province-demo vc-endpoint vc-bridge vc-scheduler >"$logs/purge.log" 2>&1 \
  || fail "dpkg --purge"
[ ! -e /usr/bin/vc-scheduler ] || fail "/usr/bin/vc-scheduler after purge"
[ ! -e /etc/vc-province/scheduler.ini ] && [ ! -e /etc/vc-province/bridge.ini ] \
  || fail "configuration left after purge"
[ -f /var/lib/vc-scheduler/vc-scheduler.db ] || fail "purge deleted the database"
echo "programs and configuration gone, the database kept"
