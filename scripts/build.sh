#!/usr/bin/env bash
# Builds shipledger into ${BUILD_DIR:-build}: all targets, or only TARGETS (space-separated,
# e.g. TARGETS="shipledger shipledgerd", what the demo runs). Installs missing packages first.
# Usage: [TARGETS="..."] scripts/build.sh [extra cmake -D options...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
JOBS=${JOBS:-$(nproc)}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" "$@" >/dev/null
TARGET_ARGS=()
for target in ${TARGETS:-}; do TARGET_ARGS+=(--target "$target"); done
cmake --build "$BUILD_DIR" -j "$JOBS" "${TARGET_ARGS[@]}"
