#!/bin/sh
# test-package.sh — see meson.build beside it. Prints each step; on failure
# the step, its log and what failed. VC_PACKAGE_KEEP=1 keeps the work
# folder (the .debs, lintian's report, the logs) and prints its name.
set -eu
source_dir=${VC_SOURCE_DIR:?}
here=$source_dir/tests/package

if [ "$(id -u)" != 0 ]; then
  echo "SKIP: building and installing packages needs root (CI runs as root)"
  exit 77
fi
missing=
for tool in dpkg-buildpackage dh lintian unshare systemd-analyze setpriv sqlite3 curl; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
[ -z "$missing" ] || {
  echo "FAIL: missing$missing (sh scripts/install-deps.sh installs them)"
  exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/vc-package.XXXXXX")
finish() {
  status=$?
  if [ "${VC_PACKAGE_KEEP:-0}" = 1 ] || [ $status != 0 ]; then
    echo "work folder kept: $work"
  else
    rm -rf "$work"
  fi
}
trap finish EXIT

step() { echo "== $*"; }
fail() {
  echo "FAIL: $*"
  exit 1
}

# ---- a copy of the tree: the build folder stays out of the source ----
step "copying the source tree"
mkdir -p "$work/src"
if git -C "$source_dir" rev-parse --git-dir >/dev/null 2>&1; then
  # Tracked and new files, as in the working tree (uncommitted work too).
  (cd "$source_dir" && git ls-files -z --cached --others --exclude-standard \
    | grep -zv '^node_modules' | xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh \
    | tar --null -T - -cf -) | tar -C "$work/src" -xf -
else
  tar -C "$source_dir" --exclude=./.git --exclude='./build*' --exclude=./node_modules \
    --exclude=./var -cf - . | tar -C "$work/src" -xf -
fi
# Chart.js for the web UI, from node_modules (scripts/install-deps.sh).
chart=$source_dir/node_modules/chart.js
[ -f "$chart/dist/chart.umd.js" ] || fail "$chart/dist/chart.umd.js missing (npm ci)"
mkdir -p "$work/src/node_modules/chart.js/dist"
cp "$chart/package.json" "$chart/LICENSE.md" "$work/src/node_modules/chart.js/"
cp "$chart/dist/chart.umd.js" "$chart/dist/chart.umd.js.map" "$work/src/node_modules/chart.js/dist/"

# ---- build ----
step "dpkg-buildpackage -b -uc -us (parallel=2, nocheck, noautodbgsym)"
started=$(date +%s)
if ! (cd "$work/src" && DEB_BUILD_OPTIONS="parallel=2 nocheck noautodbgsym" \
  dpkg-buildpackage -b -uc -us >"$work/build.log" 2>&1); then
  tail -n 40 "$work/build.log"
  fail "dpkg-buildpackage (log: $work/build.log)"
fi
echo "built in $(($(date +%s) - started)) s:"
ls "$work"/*.deb | sed 's|.*/|  |'
for p in vc-scheduler vc-bridge vc-endpoint vc-province-demo; do
  ls "$work/${p}_"*.deb >/dev/null 2>&1 || fail "no package $p"
done

# ---- lintian: no error or warning that the packaging does not justify ----
step "lintian"
lintian --fail-on error,warning --display-info --tag-display-limit 0 \
  "$work"/*.changes >"$work/lintian.txt" 2>&1 || {
  cat "$work/lintian.txt"
  fail "lintian"
}
sed 's/^/  /' "$work/lintian.txt"

# ---- install into a throw-away root and run there ----
step "installing into an overlay of this system (mount, PID and network namespaces)"
unshare --mount --pid --net --fork --kill-child --propagation private \
  sh "$here/in-overlay.sh" "$work" "$source_dir" || fail "in the installed root"
echo "package: all checks passed"
