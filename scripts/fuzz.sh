#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*_fuzz.cc) with clang, ASan and UBSan into
# ${FUZZ_BUILD_DIR:-build-fuzz} and runs each for SECONDS (default 60), one after the other.
# Installs missing packages first (clang, libclang-rt-14-dev: scripts/install-deps.sh).
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 3600 blocks_fuzz
#
# Each target starts from its committed seed corpus, tests/fuzz/corpus/<target>/ (read only), and
# keeps what it finds in ${FUZZ_BUILD_DIR}/corpus/<target>/, so later runs go on from there.
# A crash, sanitizer report, timeout or leak is written to ${FUZZ_BUILD_DIR}/artifacts/ and makes
# the script exit 1 once every target has run; reproduce with
#   build-fuzz/tests/fuzz/<target> build-fuzz/artifacts/<target>-crash-...
# The test command (scripts/test.sh) runs `scripts/fuzz.sh 5`, so the targets cannot rot.
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_SECONDS=${1:-60}
shift || true
scripts/install-deps.sh

BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
JOBS=${JOBS:-$(nproc)}
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSHIPLEDGER_BUILD_FUZZ=ON -DSHIPLEDGER_BUILD_TESTS=OFF -DSHIPLEDGER_BUILD_BENCH=OFF \
  "${launcher[@]}" >/dev/null
cmake --build "$BUILD" -j "$JOBS" --target fuzz

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in tests/fuzz/*_fuzz.cc; do targets+=("$(basename "$f" .cc)"); done
fi

mkdir -p "$BUILD/artifacts" "$BUILD/logs"
if [ -x /usr/bin/llvm-symbolizer-14 ]; then export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14; fi
failed=()
for t in "${targets[@]}"; do
  mkdir -p "$BUILD/corpus/$t"
  log="$BUILD/logs/$t.log"
  start=$(date +%s)
  # -rss_limit_mb: a decoder that allocates without bound is a finding too.
  if "$BUILD/tests/fuzz/$t" -max_total_time="$RUN_SECONDS" -timeout=25 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$t-" \
    "$BUILD/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
    result="ok"
  else
    result="FAILED"
    failed+=("$t")
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  echo "fuzz: $t $result in $(($(date +%s) - start)) s (${execs:-0} runs, ${cov:-cov: ?}), log $log"
  if [ "$result" != ok ]; then tail -40 "$log" >&2; fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${failed[*]} found a crash; inputs in $BUILD/artifacts/" >&2
  exit 1
fi
echo "fuzz: every target ran ${RUN_SECONDS} s without a crash"
