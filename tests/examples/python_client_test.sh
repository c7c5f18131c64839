#!/usr/bin/env bash
# Runs examples/python/shipledger_client.py against a real one-node network: it must book and
# pick up a shipment (its own signatures, event ids it computed as docs/formats.md says), read
# it and watch it. Then the same client with another organisation's CA as its trust root must
# be refused by TLS. Usage: python_client_test.sh SHIPLEDGER SHIPLEDGERD (the ctest passes both).
set -euo pipefail
SL=${1:?shipledger CLI}
SLD=${2:?shipledgerd}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CLIENT="$ROOT/examples/python/shipledger_client.py"
WORK=$(mktemp -d /tmp/shipledger-python.XXXXXX)
PID=""
cleanup() {
  [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
BASE=$((20000 + RANDOM % 20000))
until port_free "$BASE" && port_free $((BASE + 1)); do BASE=$((BASE + 2)); done

"$SL" network init --out "$WORK/net" --base-port "$BASE" \
  --orgs exporter:exporter,forwarder:forwarder:client >/dev/null
"$SLD" --config "$WORK/net/exporter/node/node.yaml" >"$WORK/node.log" 2>&1 &
PID=$!
NODE="127.0.0.1:$BASE"
IDENTITY="$WORK/net/exporter/clients/admin"
for _ in $(seq 100); do
  "$SL" --node "$NODE" --identity "$IDENTITY" health >/dev/null 2>&1 && break
  kill -0 "$PID" || { cat "$WORK/node.log"; exit 1; }
  sleep 0.1
done

OUT=$(/usr/bin/python3 "$CLIENT" --node "$NODE" --identity "$IDENTITY" \
  --ca "$WORK/net/exporter/ca/cert.pem" --shipment PY-1 --timeout 30)
echo "$OUT"
for line in "RESULT_CODE_VALID at height" "shipment PY-1: SHIPMENT_STATUS_PICKED_UP, custodian exporter, 2 events" \
  "watch: height 1 EVENT_TYPE_BOOKED RESULT_CODE_VALID" "watch: height 1 EVENT_TYPE_PICKUP RESULT_CODE_VALID" \
  "ok"; do
  grep -qF "$line" <<<"$OUT" || { echo "python_client_test: missing '$line'" >&2; exit 1; }
done
# The node's chain says so too.
"$SL" --node "$NODE" --identity "$IDENTITY" shipment show PY-1 | grep -q "PICKED_UP" ||
  { echo "python_client_test: the CLI does not see PY-1 picked up" >&2; exit 1; }

# Trusting another organisation's CA, the client must not reach the node.
if /usr/bin/python3 "$CLIENT" --node "$NODE" --identity "$IDENTITY" \
  --ca "$WORK/net/forwarder/ca/cert.pem" --shipment PY-2 --timeout 5 2>"$WORK/err"; then
  echo "python_client_test: a client trusting the wrong CA got through" >&2
  exit 1
fi
grep -q "UNAVAILABLE" "$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
echo "python_client_test: OK"
