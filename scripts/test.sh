#!/usr/bin/env bash
# Checks the module table of DESIGN §2 (scripts/check-deps.sh), installs what is missing, builds,
# runs every fuzz target briefly (scripts/fuzz.sh, a separate clang build in build-fuzz/;
# FUZZ_SECONDS per target, default 5, 0 skips it), then the whole test suite (unit,
# integration) with ctest.
# Usage: scripts/test.sh [ctest args...]   e.g. scripts/test.sh -L unit
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/check-deps.sh
scripts/build.sh
FUZZ_SECONDS=${FUZZ_SECONDS:-5}
if [ "$FUZZ_SECONDS" -gt 0 ]; then
  scripts/fuzz.sh "$FUZZ_SECONDS"
fi
BUILD_DIR=${BUILD_DIR:-build}
cd "$BUILD_DIR"
ctest --output-on-failure -j "${CTEST_JOBS:-2}" --timeout 600 "$@"
