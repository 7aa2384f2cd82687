#!/bin/sh
# Every test: unit and integration suites of each program, the end-to-end
# test of the whole stack, the browser tests in Chromium, and the unit and
# integration suites once more under ASan+UBSan (build-asan/). Installs what
# it needs first. Ends with a line "N passed, N failed" that counts all runs.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
sh "$here/scripts/build.sh"
cd "$here"

status=0
rm -f build/meson-logs/testlog-*.json
# Light suites side by side; the media-heavy ones one at a time so that two
# cores are not shared by two WebRTC calls at once.
meson test -C build --print-errorlogs --num-processes 2 \
  --no-suite integration --no-suite e2e --no-suite browser --no-suite memory || status=1
cp build/meson-logs/testlog.json build/meson-logs/testlog-light.json 2>/dev/null || true
meson test -C build --print-errorlogs --num-processes 1 \
  --suite integration --suite memory --suite e2e --suite browser || status=1
cp build/meson-logs/testlog.json build/meson-logs/testlog-heavy.json 2>/dev/null || true

# The unit and integration suites again, built with AddressSanitizer and
# UndefinedBehaviorSanitizer (docs/hacking.md, "The sanitizer build"). Any
# report fails its test. Leaks are checked; the suppressions name only
# third-party caches. fast_unwind_on_malloc=0: Debian's libraries have no
# frame pointers, and a leak's stack must reach past g_malloc to be read or
# matched. Timeouts are doubled for the instrumented code.
if [ ! -f build-asan/build.ninja ]; then
  meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C build-asan
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:fast_unwind_on_malloc=0
export LSAN_OPTIONS="suppressions=$here/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
meson test -C build-asan --print-errorlogs --num-processes 2 --timeout-multiplier 2 \
  --suite unit --no-suite style || status=1
cp build-asan/meson-logs/testlog.json build/meson-logs/testlog-asan-light.json 2>/dev/null || true
# (suite 'no-asan': tests that cannot run instrumented, each saying why in
# its meson.build; they run in the normal build's heavy pass above)
meson test -C build-asan --print-errorlogs --num-processes 1 --timeout-multiplier 2 \
  --suite integration --no-suite no-asan || status=1
cp build-asan/meson-logs/testlog.json build/meson-logs/testlog-asan-heavy.json 2>/dev/null || true
unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS

python3 - build/meson-logs/testlog-light.json build/meson-logs/testlog-heavy.json \
  build/meson-logs/testlog-asan-light.json build/meson-logs/testlog-asan-heavy.json <<'PY'
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
