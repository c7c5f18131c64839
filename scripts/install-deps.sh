#!/usr/bin/env bash
# Installs shipledger's build and test dependencies from Debian 12 packages.
# Idempotent: when every package is already installed it only checks and exits (< 1 s).
# Usage: install-deps.sh [--build]   (--build: only what building the binaries needs, e.g. the
#                                     build stage of docker/Dockerfile)
set -euo pipefail

BUILD_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libboost-dev libboost-system-dev
  libssl-dev
  librocksdb-dev
  libprotobuf-dev protobuf-compiler
  libgrpc++-dev protobuf-compiler-grpc
  libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev googletest
  libbenchmark-dev
  libcli11-dev
  libyaml-cpp-dev
)
TEST_PACKAGES=(
  procps psmisc
  openssl  # tests/integration/x509_interop_test.cc issues certificates as an organisation's PKI
  clang libclang-rt-14-dev llvm  # scripts/fuzz.sh: libFuzzer, ASan/UBSan, llvm-symbolizer
  python3 python3-grpcio python3-protobuf python3-cryptography  # examples/python/ and its test
  python3-yaml  # tests/docker/compose_check.py reads docker/compose.yaml
  prometheus  # promtool: the metrics exposition and the alert rules of docker/ are checked
  curl  # tests/gateway/gateway_test.sh drives shipledger-gateway as integrators do
)
PACKAGES=("${BUILD_PACKAGES[@]}")
if [ "${1:-}" != "--build" ]; then PACKAGES+=("${TEST_PACKAGES[@]}"); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Only promtool of the prometheus package is used: where systemd started its server, stop it
# and keep it from starting at boot (docker/ runs its own Prometheus in a container).
if [[ " ${missing[*]} " == *" prometheus "* ]] && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now prometheus > /dev/null 2>&1 || true
fi
