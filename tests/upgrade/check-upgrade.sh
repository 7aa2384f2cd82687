#!/bin/sh
# check-upgrade.sh DB CMD... — a database of the oldest schema (schema-v1.sql
# beside this script) is upgraded by a vc-scheduler with nothing lost, and
# `backup`/`restore` round-trip.
#
#   DB   the database path the command uses ([database] path or --db)
#   CMD  how to run that vc-scheduler, e.g.
#        build/scheduler/vc-scheduler --config DIR/scheduler.ini
#        /usr/bin/vc-scheduler --config /etc/vc-province/scheduler.ini
# VC_UPGRADE_AS=USER runs the command and sqlite3 as USER (the service's
# user, in tests/package). The folder of DB must be writable by that user.
#
# Checks: the start saves a copy of the old database before migrating it
# (identical to it) and migrates to the current schema; every row of every
# table of schema 1 is still there, equal (the whole tables are compared,
# not only their counts); the old tokens still sign in (the admin token of
# the fixture); the meetings and the report of the first half of 2024 (12
# meetings, UBND tỉnh 07) come out of the upgraded database; SIGTERM stops
# the server with 0. Then `backup FILE` while nothing runs, rows deleted,
# `restore FILE` brings them back and keeps the damaged database aside; a
# file that is not a database and an existing backup name are refused with
# nothing changed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
db=$1
shift
dir=$(dirname "$db")
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

fail() {
  echo "FAIL: $*" >&2
  for f in "$work"/out.log "$work"/err.log; do
    [ -s "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }
  done
  exit 1
}

# As the service's user, with the clean environment systemd gives a service
# (HOME its own, not the caller's).
as_user() {
  if [ -n "${VC_UPGRADE_AS:-}" ]; then
    env -i PATH=/usr/bin:/bin HOME="$(getent passwd "$VC_UPGRADE_AS" | cut -d: -f6)" \
      LANG=C.UTF-8 G_DEBUG="${G_DEBUG:-}" \
      setpriv --reuid="$VC_UPGRADE_AS" --regid="$VC_UPGRADE_AS" --init-groups -- "$@"
  else
    "$@"
  fi
}

tables="units endpoints series meetings meeting_endpoints attendance_events tokens audit_log join_links"
# Every row of the schema-1 tables, as SQL literals, in key order: the
# schema-1 columns only (later schemas add columns with defaults of their
# own, which are not data the upgrade could lose). The column lists are
# read from the fixture before anything touches it (columns_of).
columns_of() {
  for t in $tables; do
    printf '%s=%s\n' "$t" \
      "$(as_user sqlite3 -bail "$1" "SELECT group_concat(name, ', ') FROM pragma_table_info('$t')")"
  done >"$work/columns.txt"
}
dump() {
  for t in $tables; do
    echo "== $t"
    cols=$(sed -n "s/^$t=//p" "$work/columns.txt")
    as_user sqlite3 -bail "$1" ".mode quote" "SELECT $cols FROM $t ORDER BY 1, 2"
  done
}

# The server in the background; its URL once it printed it.
start_server() {
  : >"$work/out.log"
  # exec: $! is the server itself, which the SIGTERM below must reach.
  (
    if [ -n "${VC_UPGRADE_AS:-}" ]; then
      exec env -i PATH=/usr/bin:/bin HOME="$(getent passwd "$VC_UPGRADE_AS" | cut -d: -f6)" \
        LANG=C.UTF-8 G_DEBUG="${G_DEBUG:-}" \
        setpriv --reuid="$VC_UPGRADE_AS" --regid="$VC_UPGRADE_AS" --init-groups -- \
        "$@" --listen 127.0.0.1:0
    fi
    exec "$@" --listen 127.0.0.1:0
  ) >"$work/out.log" 2>"$work/err.log" &
  server_pid=$!
  i=0
  while ! grep -q "listening on" "$work/out.log"; do
    kill -0 "$server_pid" 2>/dev/null || fail "vc-scheduler exited before listening"
    i=$((i + 1))
    [ $i -lt 600 ] || fail "vc-scheduler printed no address in 60 s"
    sleep 0.1
  done
  url=$(sed -n 's/.*listening on //p' "$work/out.log" | head -n 1)
  curl -fsS --max-time 10 "$url/healthz" >/dev/null || fail "$url/healthz"
}

stop_server() {
  kill -TERM "$server_pid"
  status=0
  wait "$server_pid" || status=$?
  server_pid=
  [ "$status" = 0 ] || fail "vc-scheduler exited with $status after SIGTERM"
}

api() {
  curl -fsS --max-time 10 -H "Authorization: Bearer fixture-admin-token-0000000000000000000000000" \
    "$url$1"
}

# ---- the old database ----
rm -f "$db" "$db"-wal "$db"-shm "$db".schema-* "$db".before-restore-*
as_user sqlite3 -bail "$db" <"$here/schema-v1.sql"
[ "$(as_user sqlite3 "$db" 'PRAGMA user_version')" = 1 ] || fail "fixture is not schema 1"
columns_of "$db"
dump "$db" >"$work/before.txt"
meetings=$(as_user sqlite3 "$db" 'SELECT count(*) FROM meetings')
[ "$meetings" -gt 30 ] || fail "fixture has $meetings meetings"

# ---- upgrade: a start of the new scheduler ----
start_server "$@"
copies=$(ls "$db".schema-1-*.bak 2>/dev/null | wc -l)
[ "$copies" = 1 ] || fail "expected one copy $db.schema-1-*.bak before the migration, found $copies"
grep -q "older schema: saved as" "$work/err.log" || fail "the start did not say it saved a copy"
api /api/v1/me | grep -q '"role":"admin"' || fail "the fixture's admin token does not sign in"
api "/api/v1/meetings?from=2019-01-01&to=2031-01-01&limit=1000" >"$work/meetings.json"
listed=$(grep -o '"id":[0-9]*,"series_id"' "$work/meetings.json" | wc -l)
[ "$listed" = "$meetings" ] || fail "the API lists $listed meetings of $meetings"
api "/api/v1/reports/summary?from=2024-01-01&to=2024-06-30&lang=vi" >"$work/summary.json"
grep -q "12 cuộc họp" "$work/summary.json" || fail "report of H1 2024: $(cat "$work/summary.json")"
grep -q "UBND tỉnh Nghệ An 07 cuộc" "$work/summary.json" \
  || fail "report of H1 2024: $(cat "$work/summary.json")"
stop_server

version=$(as_user sqlite3 "$db" 'PRAGMA user_version')
[ "$version" -ge 4 ] || fail "schema version $version after the upgrade"
dump "$db" >"$work/after.txt"
cmp -s "$work/before.txt" "$work/after.txt" || {
  diff "$work/before.txt" "$work/after.txt" | head -n 20 >&2
  fail "rows changed in the upgrade"
}
dump "$(ls "$db".schema-1-*.bak)" >"$work/copy.txt"
cmp -s "$work/before.txt" "$work/copy.txt" || fail "the copy taken before the migration differs"
echo "upgrade: schema 1 -> $version, $meetings meetings and every other row kept, copy saved"

# ---- backup / restore ----
backup="$dir/round-trip.backup"
rm -f "$backup"
as_user "$@" backup "$backup" >/dev/null || fail "backup"
if as_user "$@" backup "$backup" 2>"$work/err.log"; then fail "backup over an existing file"; fi
grep -q "exists" "$work/err.log" || fail "backup over an existing file: $(cat "$work/err.log")"
as_user sqlite3 "$db" "DELETE FROM attendance_events; DELETE FROM audit_log;"
dump "$db" >"$work/damaged.txt"
echo "not a database" >"$dir/junk.backup"
if as_user "$@" restore "$dir/junk.backup" 2>"$work/err.log"; then fail "restore of a junk file"; fi
grep -q "not an sqlite database" "$work/err.log" || fail "restore of junk: $(cat "$work/err.log")"
dump "$db" >"$work/still.txt"
cmp -s "$work/damaged.txt" "$work/still.txt" || fail "a refused restore changed the database"
as_user "$@" restore "$backup" >"$work/restore.log" || fail "restore"
dump "$db" >"$work/restored.txt"
cmp -s "$work/after.txt" "$work/restored.txt" || fail "restore did not bring every row back"
aside=$(ls "$db".before-restore-* 2>/dev/null | head -n 1)
[ -n "$aside" ] || fail "restore kept no copy of the database it replaced"
dump "$aside" >"$work/aside.txt"
cmp -s "$work/damaged.txt" "$work/aside.txt" || fail "the copy kept by restore differs"
start_server "$@"
api /api/v1/me | grep -q '"role":"admin"' || fail "after restore, the admin token does not sign in"
stop_server
rm -f "$backup" "$dir/junk.backup"
echo "backup/restore: round trip equal, junk and overwrite refused, replaced database kept"
