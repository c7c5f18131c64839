#!/usr/bin/env bash
# Runs N simulator seeds from START (default: 1000 seeds from 100000, past the ctest range),
# split over JOBS parallel sim_runner processes, and prints every failing seed with the command
# that reproduces it. Builds sim_runner first (BUILD_DIR, default build).
# PROFILE and REPLICAS (4 or 7) force a profile and a cluster size, e.g. the flood profiles that
# seeds never draw by themselves.
# Usage: scripts/sim-seeds.sh [N] [START]        e.g. JOBS=2 scripts/sim-seeds.sh 5000 200000
#        PROFILE=flood-viewchange REPLICAS=4 scripts/sim-seeds.sh 2000 200000
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
START=${2:-100000}
JOBS=${JOBS:-2}
BUILD_DIR=${BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ] && [ ! -f "$BUILD_DIR/Makefile" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$BUILD_DIR" -j "$JOBS" --target sim_runner
RUNNER="$BUILD_DIR/tests/sim/sim_runner"
EXTRA=()
if [ -n "${PROFILE:-}" ]; then EXTRA+=(--profile "$PROFILE"); fi
if [ -n "${REPLICAS:-}" ]; then EXTRA+=(--n "$REPLICAS"); fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
per=$(( (N + JOBS - 1) / JOBS ))
pids=()
for ((j = 0; j < JOBS; j++)); do
  first=$(( START + j * per ))
  count=$(( N - j * per < per ? N - j * per : per ))
  (( count > 0 )) || continue
  "$RUNNER" --seed "$first" --count "$count" --quiet "${EXTRA[@]}" > "$OUT/$j.log" 2>&1 &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
cat "$OUT"/*.log
exit $status
