#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite (unit, integration) with ctest.
# Usage: scripts/test.sh [ctest args...]   e.g. scripts/test.sh -L unit
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
BUILD_DIR=${BUILD_DIR:-build}
cd "$BUILD_DIR"
ctest --output-on-failure -j "${CTEST_JOBS:-2}" --timeout 600 "$@"
