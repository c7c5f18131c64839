#!/usr/bin/env bash
# The Debian package of a build (cmake/Package.cmake): cpack makes it; its control says what it
# needs; `dpkg -x` puts it in a temporary root, and the binaries from there set up a network,
# check a node's config, run the node, answer a health check and commit an event; the systemd
# unit passes `systemd-analyze verify` against that root where systemd-analyze exists.
# Usage: deb_test.sh BUILD_DIR (the ctest passes it).
set -euo pipefail
BUILD=${1:?build dir}
WORK=$(mktemp -d /tmp/shipledger-deb.XXXXXX)
PID=""
cleanup() {
  [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack --config "$BUILD/CPackConfig.cmake" -B "$WORK/pkg" >"$WORK/cpack.log" 2>&1 ||
  { cat "$WORK/cpack.log"; fail "cpack"; }
DEB=$(ls "$WORK"/pkg/shipledger_*_amd64.deb 2>/dev/null || ls "$WORK"/pkg/shipledger_*.deb)
echo "package: $(basename "$DEB") ($(stat -c %s "$DEB") bytes)"

CONTROL=$(dpkg-deb -I "$DEB")
for dep in "libgrpc++1.51" "libprotobuf32" "libssl3" "libyaml-cpp0.7" "adduser"; do
  grep -q "^ Depends:.*$dep" <<<"$CONTROL" || fail "Depends lacks $dep: $CONTROL"
done
CONTENTS=$(dpkg-deb -c "$DEB")
for path in ./usr/bin/shipledgerd ./usr/bin/shipledger ./usr/bin/shipledger-gateway ./usr/lib/systemd/system/shipledgerd.service \
  ./usr/share/doc/shipledger/operations.md ./usr/share/doc/shipledger/gateway.md; do
  grep -q " $path\$" <<<"$CONTENTS" || fail "the package lacks $path"
done
dpkg-deb -e "$DEB" "$WORK/control"
sh -n "$WORK/control/postinst" || fail "postinst does not parse"

ROOT="$WORK/root"
dpkg -x "$DEB" "$ROOT"
SL="$ROOT/usr/bin/shipledger"
SLD="$ROOT/usr/bin/shipledgerd"
"$SLD" --help | grep -q -- "--check-config" || fail "shipledgerd --help"
"$ROOT/usr/bin/shipledger-gateway" --help | grep -q -- "--token-file" || fail "shipledger-gateway --help"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
BASE=$((20000 + RANDOM % 20000))
until port_free "$BASE" && port_free $((BASE + 1)); do BASE=$((BASE + 2)); done
"$SL" network init --out "$WORK/net" --base-port "$BASE" \
  --orgs exporter:exporter,forwarder:forwarder:client >/dev/null
"$SLD" --config "$WORK/net/exporter/node/node.yaml" --check-config >/dev/null ||
  fail "--check-config of a fresh network"
"$SLD" --config "$WORK/net/exporter/node/node.yaml" >"$WORK/node.log" 2>&1 &
PID=$!
NODE="127.0.0.1:$BASE"
IDENTITY="$WORK/net/exporter/clients/admin"
for _ in $(seq 100); do
  "$SL" --node "$NODE" --identity "$IDENTITY" health >/dev/null 2>&1 && break
  kill -0 "$PID" || { cat "$WORK/node.log"; fail "the node exited"; }
  sleep 0.1
done
"$SL" --node "$NODE" --identity "$IDENTITY" health | grep -q SERVING || fail "health"
"$SL" --node "$NODE" --identity "$IDENTITY" event submit --shipment DEB-1 --type booked --wait |
  grep -q "VALID" || fail "submit"
kill -TERM "$PID"
wait "$PID" || fail "the node did not stop cleanly"
PID=""

# The unit as installed, its binaries taken from the temporary root: systemd-analyze says
# nothing about a clean unit (it warns of unknown keys or values and still exits 0).
if command -v systemd-analyze >/dev/null && [ -e /lib/systemd/system/sysinit.target ]; then
  sed "s|/usr/bin/|$ROOT/usr/bin/|g" "$ROOT/usr/lib/systemd/system/shipledgerd.service" \
    >"$WORK/shipledgerd.service"
  systemd-analyze verify --man=no "$WORK/shipledgerd.service" >"$WORK/verify.log" 2>&1 || true
  [ ! -s "$WORK/verify.log" ] || { cat "$WORK/verify.log"; fail "systemd-analyze verify"; }
  echo "systemd-analyze verify: clean"
else
  echo "systemd-analyze (package systemd) not here: the unit is not verified"
fi
echo "ok"
