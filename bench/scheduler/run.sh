#!/bin/sh
# bench/scheduler/run.sh — booking throughput and p99 latency of vc-scheduler
# with 100,000 meetings stored, against a no-op libsoup handler measured in
# the same run. See docs/benchmarks.md, section "Scheduler booking".
#
#   bench/scheduler/run.sh [BUILD_DIR] [extra bench-booking options]
#   e.g. bench/scheduler/run.sh build-sched --concurrency 4 --requests 2000
#
# The database goes to a temporary folder on the same disk as $TMPDIR; set
# TMPDIR to measure another disk. The scheduler runs on its embedded defaults
# ([database] synchronous = normal); --config FILE passes a config, e.g. one
# with [database] synchronous = full to measure an fsync per commit.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
[ $# -gt 0 ] && shift
case "$build" in /*) ;; *) build="$here/$build" ;; esac
ninja -C "$build" bench/scheduler/bench-booking scheduler/vc-scheduler >/dev/null
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
exec "$build/bench/scheduler/bench-booking" --scheduler "$build/scheduler/vc-scheduler" "$@"
