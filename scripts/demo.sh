#!/usr/bin/env bash
# The quick-start demo: builds shipledger, brings up a 4-node network on loopback
# (scripts/devnet.sh: exporter, forwarder, customs and importer each run a node; PBFT, n = 4),
# records a full shipment journey with each party signing its own events and submitting them
# through its OWN node, shows the contract rejecting two events, prints the timeline, runs
# a cold-chain shipment under contract rules v2 (its sea leg matched by the contract to an ocean
# carrier's offer, an excursion listed, a return approved by the contract, the shipment in
# EPCIS and DCSA, asked of the importer's EPCIS/DCSA gateway), checks
# that all four nodes hold the same head hash, verifies the chain (through a node, then offline
# on every node's data dir) and stops the network. Exits non-zero on any failure.
# Usage: scripts/demo.sh [--keep]   (--keep leaves the network folder for inspection)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
KEEP=0
[ "${1:-}" = "--keep" ] && KEEP=1

# Only what the demo runs: the CLI, the node and the gateway (scripts/test.sh builds the tests).
TARGETS="shipledger shipledgerd shipledger-gateway" scripts/build.sh
BIN="$ROOT/${BUILD_DIR:-build}/src"
SL="$BIN/cli/shipledger"

NET=$(mktemp -d /tmp/shipledger-demo.XXXXXX)
UP=0
GW_PID=""
cleanup() {
  local rc=$?
  if [ -n "$GW_PID" ]; then kill -TERM "$GW_PID" 2>/dev/null && wait "$GW_PID" 2>/dev/null || true; fi
  if [ "$UP" = 1 ]; then scripts/devnet.sh down --dir "$NET" || true; fi
  if [ $rc -ne 0 ]; then
    echo "demo FAILED (exit $rc); node logs:" >&2
    for log in "$NET"/logs/*.log; do
      [ -f "$log" ] && { echo "--- $log" >&2; tail -n 15 "$log" >&2; }
    done
  fi
  if [ "$KEEP" = 1 ]; then echo "network kept in $NET"; else rm -rf "$NET"; fi
}
trap cleanup EXIT

# Eight free ports in a row (node i: gRPC base + 2i, peers base + 2i + 1).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ports_free() {
  local p
  for p in $(seq "$1" $(($1 + 7))); do port_free "$p" || return 1; done
}
BASE=7050
while ! ports_free "$BASE"; do BASE=$((BASE + 8)); done

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "a 4-organisation network, one node each (scripts/devnet.sh up)"
UP=1
scripts/devnet.sh up --dir "$NET" --base-port "$BASE" --no-build

# Each party's node (its gRPC endpoint) and client identity.
declare -A NODE_OF=(
  [exporter]="127.0.0.1:$BASE" [forwarder]="127.0.0.1:$((BASE + 2))"
  [customs]="127.0.0.1:$((BASE + 4))" [importer]="127.0.0.1:$((BASE + 6))"
  [ocean]="127.0.0.1:$BASE"  # an ocean carrier without a node of its own uses the exporter's
)
OCN="$NET/ocean/clients/admin"

EXP="$NET/exporter/clients/admin"
FWD="$NET/forwarder/clients/admin"
CUS="$NET/customs/clients/admin"
IMP="$NET/importer/clients/admin"
SHIP="SHP-$(date +%Y%m%d)-$RANDOM"

ev() {  # ev IDENTITY TYPE [options...]: one event, signed by IDENTITY, submitted through its
        # organisation's own node and awaited until committed
  local id=$1 type=$2 org
  shift 2
  org=$(basename "$(dirname "$(dirname "$id")")")
  printf '%-26s by %-9s via %-15s ' "$type" "$org" "${NODE_OF[$org]}"
  "$SL" --node "${NODE_OF[$org]}" event submit --identity "$id" --shipment "${EV_SHIP:-$SHIP}" --type "$type" \
    --wait "$@"
}

step "shipment $SHIP: Shanghai -> Hamburg, each party signs its own events"
BOOKED=$(ev "$EXP" booked --location CNSHA --party forwarder --party customs --party importer \
  --ref booking=BK-2026-0042 --ref purchase_order=PO-77812 --detail goods="machine parts" \
  --detail packages=12 --private invoice_value=EUR-125000 --readers importer)
echo "$BOOKED"
BOOKED_ID=$(grep -o '[0-9a-f]\{64\}' <<<"$BOOKED" | head -n 1)
ev "$EXP" pickup --location CNSHA
ev "$EXP" export_customs_declared --location CNSHA --ref customs_declaration=EXD-556
ev "$CUS" export_customs_cleared --location CNSHA
ev "$EXP" handover --location CNSHA --cosigner "$FWD"

step "the exporter no longer has custody: its 'loaded' is rejected by the contract"
if ev "$EXP" loaded --location CNSHA; then echo "unexpected: accepted"; exit 1; fi

step "the forwarder carries on"
ev "$FWD" loaded --location CNSHA --ref container=MSCU1234565 --ref bill_of_lading=BL-99812
ev "$FWD" departed --location CNSHA --detail vessel="MSC ANNA"
ev "$FWD" arrived --location DEHAM
ev "$IMP" import_customs_declared --location DEHAM --ref customs_declaration=IMD-2231
ev "$CUS" import_customs_held --location DEHAM --detail reason="documentary check"
ev "$CUS" import_customs_released --location DEHAM
ev "$IMP" duties_paid --location DEHAM --detail amount_eur=1840.00
ev "$FWD" out_for_delivery --location DEHAM
ev "$FWD" delivered --location DEHAM --detail received_by="goods-in dock 3"

step "after delivery only returns may follow"
if ev "$FWD" departed --location DEHAM; then echo "unexpected: accepted"; exit 1; fi

step "timeline (read from the importer's node)"
NODE=${NODE_OF[importer]}
"$SL" --node "$NODE" --identity "$IMP" shipment show "$SHIP"
"$SL" --node "$NODE" --identity "$IMP" shipment find --ref container=MSCU1234565

step "the ocean carrier is no party of $SHIP: its event is answered as for an unknown shipment"
# Contract rules v3: only a party makes a party; a stranger's event changes nothing and learns nothing.
if ev "$OCN" exception --location DEHAM --detail note="let me in"; then
  echo "unexpected: accepted"
  exit 1
fi
if "$SL" --node "${NODE_OF[ocean]}" --identity "$OCN" shipment show "$SHIP"; then
  echo "the ocean carrier read a shipment it is no party of" >&2
  exit 1
fi

step "the invoice value is private: the importer (a reader) reads it, the forwarder cannot"
"$SL" --node "${NODE_OF[importer]}" --identity "$IMP" event show "$BOOKED_ID" | tee "$NET/imp.txt"
grep -q "EUR-125000" "$NET/imp.txt" || { echo "the importer cannot read its private field" >&2; exit 1; }
"$SL" --node "${NODE_OF[forwarder]}" --identity "$FWD" event show "$BOOKED_ID" | tee "$NET/fwd.txt"
if grep -q "EUR-125000" "$NET/fwd.txt"; then echo "the forwarder read a private field" >&2; exit 1; fi

step "the importer discloses the invoice value (only) to its bank, which checks it offline"
"$SL" --node "${NODE_OF[importer]}" --identity "$IMP" disclose --event "$BOOKED_ID" \
  --field invoice_value --out "$NET/invoice.disclosure" --wait
"$SL" disclosure verify "$NET/invoice.disclosure" --genesis "$NET/genesis.yaml"

step "an importer clerk's laptop is stolen: the importer's admin revokes the clerk's certificate"
CLERK_OUT=$("$SL" identity issue --org-dir "$NET/importer" --name clerk)
echo "$CLERK_OUT"
CLERK_FP=$(sed -n 's/^fingerprint \([0-9a-f]*\)$/\1/p' <<<"$CLERK_OUT")
CLERK="$NET/importer/clients/clerk"
"$SL" --node "${NODE_OF[importer]}" --identity "$CLERK" shipment show "$SHIP" >/dev/null
echo "the clerk reads $SHIP"
EV_SHIP="revocation-$CLERK_FP" ev "$IMP" certificate_revocation --fingerprint "$CLERK_FP" \
  --reason "laptop stolen"
if "$SL" --node "${NODE_OF[importer]}" --identity "$CLERK" shipment show "$SHIP" 2>"$NET/clerk.txt"; then
  echo "the revoked clerk still reads the shipment" >&2
  exit 1
fi
cat "$NET/clerk.txt"
grep -q "revoked" "$NET/clerk.txt" || { echo "the clerk's refusal does not say why" >&2; exit 1; }

step "contract rules v2 and v3: a cold-chain shipment whose sea leg the contract matches to an offer"
EV_SHIP="COLD-$(date +%Y%m%d)-$RANDOM"
OFFER="OCEAN-CN-NL-$RANDOM"
ev "$EXP" booked --location CNSHA --party forwarder --party customs --consignee importer \
  --leg CNSHA:NLRTM:sea:open:cold --leg NLRTM:DEHAM:road:forwarder --currency EUR \
  --temp-range 2:8 --tolerance 30m --return-window 30d --return-reason damaged \
  --return-condition unopened --return-address CNSHA
EV_SHIP=$OFFER ev "$OCN" carrier_offer --mode sea --lane CN:NL --cold-chain --price 185000 \
  --currency EUR --valid-from +0s --valid-until +30d
ev "$EXP" handover --location CNSHA --cosigner "$OCN"
ev "$OCN" pickup --location CNSHA
ev "$OCN" loaded --location CNSHA
ev "$OCN" departed --location CNSHA
NOW_MS=$(($(date +%s) * 1000))
step "the reefer logs 9.5 °C for 40 minutes: beyond the 30 minutes' tolerance"
ev "$OCN" sensor_readings --reading "$((NOW_MS - 3600000)),5.0,C,reefer-7" \
  --reading "$((NOW_MS - 3000000)),9.5,C,reefer-7" --reading "$((NOW_MS - 600000)),6.0,C,reefer-7"
"$SL" --node "${NODE_OF[importer]}" --identity "$IMP" shipment list --excursions | tee "$NET/exc.txt"
grep -q "$EV_SHIP" "$NET/exc.txt" || { echo "the excursion is not listed" >&2; exit 1; }
ev "$OCN" arrived --location NLRTM
ev "$OCN" handover --location NLRTM --cosigner "$FWD"
ev "$FWD" loaded --location NLRTM
ev "$FWD" departed --location NLRTM
ev "$FWD" arrived --location DEHAM
ev "$FWD" out_for_delivery --location DEHAM
ev "$FWD" delivered --location DEHAM
step "the importer asks for a return within the terms: the contract approves it"
ev "$IMP" return_requested --location DEHAM --reason damaged --condition unopened
"$SL" --node "${NODE_OF[importer]}" --identity "$IMP" shipment show "$EV_SHIP" | tee "$NET/cold.txt"
grep -q "return_requested" "$NET/cold.txt" || { echo "no return on the shipment" >&2; exit 1; }
step "the same shipment for the parties' other systems: GS1 EPCIS 2.0 and DCSA Track & Trace 2.2"
"$SL" --node "${NODE_OF[importer]}" --identity "$IMP" export epcis --shipment "$EV_SHIP" \
  --out "$NET/cold.jsonld"
grep -q ALARM_CONDITION "$NET/cold.jsonld" || { echo "the excursion is no EPCIS alarm" >&2; exit 1; }
echo "every eventID is the event's own CBV 2.0 hash ID, recomputed offline:"
"$SL" epcis hash "$NET/cold.jsonld" | grep -c "eventID matches"
"$SL" --node "${NODE_OF[importer]}" --identity "$IMP" export dcsa --shipment "$EV_SHIP" \
  --out "$NET/cold-dcsa.json"

step "the importer's systems ask its EPCIS/DCSA gateway (shipledger-gateway, docs/gateway.md)"
GW_PORT=$((BASE + 8))
while ! port_free "$GW_PORT"; do GW_PORT=$((GW_PORT + 1)); done
GW_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "importer-wms $GW_TOKEN" >"$NET/gateway-tokens"
"$BIN/gateway/shipledger-gateway" --identity "$IMP" --node "${NODE_OF[importer]}" \
  --data-dir "$NET/gateway" --token-file "$NET/gateway-tokens" --listen "127.0.0.1:$GW_PORT" \
  --log-level warn >"$NET/logs/gateway.log" 2>&1 &
GW_PID=$!
gw() { curl -sf -H "Authorization: Bearer $GW_TOKEN" "http://127.0.0.1:$GW_PORT$1"; }
count() { python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d if isinstance(d, list) else d["epcisBody"]["queryResults"]["resultsBody"]["eventList"]))'; }
DEPARTURES=0
for _ in $(seq 1 100); do  # until its index has followed the importer's node
  DEPARTURES=$(gw "/events?EQ_bizStep=departing" 2>/dev/null | count 2>/dev/null) || DEPARTURES=0
  [ "$DEPARTURES" -ge 2 ] && break
  sleep 0.1
done
echo "GET /events?EQ_bizStep=departing: $DEPARTURES EPCIS departures of the importer's shipments"
[ "$DEPARTURES" -ge 2 ] || { echo "the gateway does not answer the departures" >&2; exit 1; }
echo "GET /v2/events?eventType=TRANSPORT: $(gw "/v2/events?eventType=TRANSPORT" | count) DCSA transport events"
kill -TERM "$GW_PID" && wait "$GW_PID" || true
GW_PID=""
unset EV_SHIP

step "every node holds the same chain"
# Top-level JSON fields are indented by exactly two spaces (the peers' fields are deeper).
HEIGHT=$("$SL" --json --node "${NODE_OF[exporter]}" --identity "$EXP" chain info | sed -n 's/^  "height": \([0-9]*\).*/\1/p')
heads() {  # prints "org height head" per node
  local org out
  for org in exporter forwarder customs importer; do
    out=$("$SL" --json --node "${NODE_OF[$org]}" --identity "$NET/$org/clients/admin" status) ||
      return 1
    printf '%-10s height %-4s head %s\n' "$org" \
      "$(sed -n 's/^  "height": \([0-9]*\).*/\1/p' <<<"$out")" \
      "$(sed -n 's/^  "head_hash": "\([0-9a-f]*\)".*/\1/p' <<<"$out")"
  done
}
SAME=0
for _ in $(seq 1 100); do  # the last block may reach some nodes a moment later
  H=$(heads)
  if [ "$(awk '{print $3, $5}' <<<"$H" | sort -u | wc -l)" = 1 ] &&
    [ "$(awk '{print $3}' <<<"$H" | head -n 1)" -ge "$HEIGHT" ]; then
    SAME=1
    break
  fi
  sleep 0.1
done
echo "$H"
[ "$SAME" = 1 ] || { echo "the nodes disagree on the head" >&2; exit 1; }
echo "all 4 nodes agree at height $(awk '{print $3}' <<<"$H" | head -n 1)"

step "verify the chain through the customs node"
"$SL" --node "${NODE_OF[customs]}" --identity "$CUS" verify --genesis "$NET/genesis.yaml"

step "stop the network (SIGTERM) and verify every node's data dir offline"
scripts/devnet.sh down --dir "$NET"
UP=0
for org in exporter forwarder customs importer; do
  "$SL" verify --data-dir "$NET/$org/node/data" --genesis "$NET/genesis.yaml"
done
step "demo finished"
