#!/bin/sh
# run-bridge-ab.sh — two vc-bridge builds side by side at one N, alternating.
#
#   bench/media/run-bridge-ab.sh BRIDGE_A BRIDGE_B [PAIRS] [SECONDS]
#
# Runs run-bridge-bench.sh once per bridge per pair, in the order A-B, B-A,
# A-B, … so that a slow stretch of a shared machine falls on both. N is
# $SIZES (default 44); the load generator is the one in $BUILD (default
# build). Prints each run's table line under a header naming the bridge and
# the load average, so the runs can be compared pair by pair.
set -eu

A=${1:?usage: run-bridge-ab.sh BRIDGE_A BRIDGE_B [PAIRS] [SECONDS]}
B=${2:?usage: run-bridge-ab.sh BRIDGE_A BRIDGE_B [PAIRS] [SECONDS]}
PAIRS=${3:-4}
SECONDS_PER_RUN=${4:-30}
BUILD=${BUILD:-build}
SIZES=${SIZES:-44}
export SIZES

i=1
while [ "$i" -le "$PAIRS" ]; do
  if [ $((i % 2)) = 1 ]; then order="$A $B"; else order="$B $A"; fi
  for bridge in $order; do
    echo "=== pair $i $bridge $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
    BRIDGE=$bridge sh "$(dirname "$0")/run-bridge-bench.sh" "$BUILD" "$SECONDS_PER_RUN" 2>&1 | tail -n 1
  done
  i=$((i + 1))
done
