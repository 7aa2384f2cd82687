#!/bin/sh
# run-upgrade-test.sh VC_SCHEDULER — check-upgrade.sh against a scheduler of
# the build tree, with a configuration of its own in a temporary folder.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
printf '[server]\nlisten=127.0.0.1:0\n[database]\npath=%s/vc-scheduler.db\n' "$dir" \
  >"$dir/scheduler.ini"
sh "$here/check-upgrade.sh" "$dir/vc-scheduler.db" "$1" --config "$dir/scheduler.ini"
