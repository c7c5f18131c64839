#!/usr/bin/env bash
# shipledger-gateway against a real 4-node network (PBFT, n = 4, f = 1), driven by plain HTTP
# clients only: gateway_http_test.py (Python's http.client) and curl. A shipment is booked
# with the CLI; the EPCIS document captured names its container.
# Usage: gateway_test.sh SHIPLEDGER SHIPLEDGERD SHIPLEDGER-GATEWAY (the ctest passes all three).
set -euo pipefail
SL=${1:?shipledger CLI}
SLD=${2:?shipledgerd}
GW=${3:?shipledger-gateway}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/shipledger-gateway.XXXXXX)
PIDS=()
GW_PID=""
cleanup() {
  [ -n "$GW_PID" ] && kill -TERM "$GW_PID" 2>/dev/null && wait "$GW_PID" 2>/dev/null
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "gateway_test: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
fail() {
  echo "gateway_test: $*" >&2
  for f in "$WORK"/*.log; do echo "--- $f" >&2; tail -n 30 "$f" >&2; done
  exit 1
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
BASE=$((20000 + RANDOM % 20000))
until port_free "$BASE" && port_free $((BASE + 7)) && port_free $((BASE + 8)); do BASE=$((BASE + 10)); done
GW_PORT=$((BASE + 8))

ORGS=(exporter forwarder customs importer)
"$SL" network init --out "$WORK/net" --base-port "$BASE" \
  --orgs exporter:exporter,forwarder:forwarder,customs:customs,importer:importer >/dev/null
for org in "${ORGS[@]}"; do
  "$SLD" --config "$WORK/net/$org/node/node.yaml" >"$WORK/$org.log" 2>&1 &
  PIDS+=($!)
done
NODE="127.0.0.1:$BASE"
ID="$WORK/net/exporter/clients/admin"
sl() { "$SL" --node "$NODE" --identity "$ID" "$@"; }
for _ in $(seq 300); do
  sl status >/dev/null 2>&1 && break
  sleep 0.1
done
sl status >/dev/null || fail "the network did not come up"

# The shipment the captured events are about: booked with its container and a sea leg from
# Hamburg (the DCSA form of its departure takes the mode of transport from the leg).
sl event submit --shipment GW-1 --type booked --party forwarder --ref container=CSQU3054383 \
  --ref bill_of_lading=HLCUHAM2603GW1 --ref booking=BKG-GW1 --leg DEHAM:CNSHA:sea:open --wait \
  >/dev/null || fail "booking failed"
sl event submit --shipment GW-1 --type pickup --wait >/dev/null || fail "pickup failed"

TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '# the gateway test client\nintegrator %s\n' "$TOKEN" >"$WORK/tokens"
"$GW" --identity "$ID" --node "$NODE" --data-dir "$WORK/gw" --token-file "$WORK/tokens" \
  --listen "127.0.0.1:$GW_PORT" --max-capture-events 50 --allow-private-callbacks \
  >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
URL="http://127.0.0.1:$GW_PORT"
for _ in $(seq 100); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/events" || true)
  [ "$code" = 401 ] && break
  kill -0 "$GW_PID" || fail "the gateway exited"
  sleep 0.1
done

/usr/bin/python3 "$HERE/gateway_http_test.py" --url "$URL" --token "$TOKEN" ||
  fail "gateway_http_test.py failed"

# curl, as an integrator's shell script would: no token is 401 in the problem format, and the
# query of the events captured above answers with an EPCISQueryDocument.
curl -s -i "$URL/events" >"$WORK/noauth.txt"
grep -q "^HTTP/1.1 401" "$WORK/noauth.txt" || fail "no token: $(head -1 "$WORK/noauth.txt")"
grep -qi "^content-type: application/problem+json" "$WORK/noauth.txt" || fail "401 is not problem+json"
curl -sf -H "Authorization: Bearer $TOKEN" "$URL/events?EQ_bizStep=loading&MATCH_epc=urn:epc:id:bic:CSQU3054383" \
  >"$WORK/query.json" || fail "curl query failed"
grep -q '"type":"EPCISQueryDocument"' "$WORK/query.json" || fail "not a query document: $(cat "$WORK/query.json")"
grep -q '"bizStep":"loading"' "$WORK/query.json" || fail "the loading event is missing"

# Every node of the network holds the events the gateway captured: the forwarder's node (a
# party) shows the same timeline as the exporter's.
timeline() {
  "$SL" --node "127.0.0.1:$1" --identity "$WORK/net/$2/clients/admin" --json shipment show GW-1 |
    grep -c '"event_id"'
}
want=$(timeline "$BASE" exporter)
[ "$want" -ge 5 ] || fail "GW-1 has $want events on the exporter's node"
for _ in $(seq 50); do
  [ "$(timeline $((BASE + 2)) forwarder)" = "$want" ] && break
  sleep 0.1
done
[ "$(timeline $((BASE + 2)) forwarder)" = "$want" ] || fail "the forwarder's node does not hold the captured events"
echo "gateway_test: OK"
