#!/bin/sh
# Installs everything the build and the tests need on a fresh Debian 12
# machine (run as root). Safe to run again: apt-get and npm skip what is
# already present. Set VC_SKIP_APT=1 to skip the apt step.
set -eu

APT_PACKAGES="
  build-essential meson ninja-build pkg-config git ca-certificates clang-format
  libglib2.0-dev libsoup-3.0-dev libjson-glib-dev libsqlite3-dev libical-dev
  glib-networking sqlite3 curl procps iproute2 psmisc
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-nice gstreamer1.0-tools gstreamer1.0-x gstreamer1.0-alsa gstreamer1.0-pulseaudio
  libnice-dev libopus-dev
  libpango1.0-dev libcairo2-dev
  janus
  fonts-dejavu-core
  chromium
  dpkg-dev debhelper lintian systemd
"

missing=""
# The machine image ships Node.js with npm; take Debian's only where absent.
command -v npm >/dev/null 2>&1 || APT_PACKAGES="$APT_PACKAGES nodejs npm"
for p in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done

if [ -n "$missing" ] && [ "${VC_SKIP_APT:-0}" != 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends $missing
fi

# playwright-core (browser tests) needs Node.js 20 or newer. Debian 12's own
# nodejs is 18: say so plainly instead of failing later inside a test.
if ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'; then
  echo "install-deps: Node.js $(node --version) is too old: the browser tests need Node.js >= 20" >&2
  echo "install-deps: (Debian 12 ships 18; install Node.js 20, e.g. NodeSource's nodejs package)" >&2
  exit 1
fi

# JavaScript for the web UI (served locally, never from a CDN) and for the
# browser tests. package-lock.json pins the versions.
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -f "$here/package.json" ] && [ ! -d "$here/node_modules/chart.js" -o ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error)
fi
