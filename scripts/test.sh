#!/bin/sh
# Every test: unit and integration suites of each program, the end-to-end
# test of the whole stack, and the browser tests in Chromium. Installs what
# it needs first. Ends with a line "N passed, N failed".
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
sh "$here/scripts/build.sh"
cd "$here"

status=0
# Light suites side by side; the media-heavy ones one at a time so that two
# cores are not shared by two WebRTC calls at once.
meson test -C build --print-errorlogs --num-processes 2 \
  --no-suite integration --no-suite e2e --no-suite browser || status=1
cp build/meson-logs/testlog.json build/meson-logs/testlog-light.json 2>/dev/null || true
meson test -C build --print-errorlogs --num-processes 1 \
  --suite integration --suite e2e --suite browser || status=1
cp build/meson-logs/testlog.json build/meson-logs/testlog-heavy.json 2>/dev/null || true

python3 - build/meson-logs/testlog-light.json build/meson-logs/testlog-heavy.json <<'PY'
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError:
        continue
    for line in lines:
        if not line.strip():
            continue
        r = json.loads(line).get("result")
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
