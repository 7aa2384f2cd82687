#!/bin/sh
# The main job: build (installing packages if needed), then run the whole
# province on loopback with a demo meeting: scheduler + bridge + 44 room
# agents, web UI on http://127.0.0.1:8080/. Extra arguments go to vc-stack
# (e.g. --rooms 6). Stop with Ctrl-C.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
sh "$here/scripts/build.sh"
cd "$here"
exec build/vc-stack --demo "$@"
