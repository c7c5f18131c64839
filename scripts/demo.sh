#!/usr/bin/env bash
# The quick-start demo: builds shipledger, creates a network (an exporter node; forwarder,
# customs and importer as client organisations), starts the node, records a full shipment
# journey with each party signing its own events, prints the timeline, verifies the chain
# (through the node, then offline on the data dir) and stops the node.
# Usage: scripts/demo.sh [--keep]   (--keep leaves the network folder for inspection)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
KEEP=0
[ "${1:-}" = "--keep" ] && KEEP=1

scripts/build.sh
BIN="$ROOT/${BUILD_DIR:-build}/src"
SL="$BIN/cli/shipledger"
SLD="$BIN/node/shipledgerd"

NET=$(mktemp -d /tmp/shipledger-demo.XXXXXX)
NODE_PID=""
cleanup() {
  if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then
    kill -TERM "$NODE_PID" 2>/dev/null || true
    wait "$NODE_PID" 2>/dev/null || true
  fi
  if [ "$KEEP" = 1 ]; then echo "network kept in $NET"; else rm -rf "$NET"; fi
}
trap cleanup EXIT

# A free port pair for the node (gRPC = base, peer = base + 1).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
BASE=7050
while ! port_free "$BASE" || ! port_free $((BASE + 1)); do BASE=$((BASE + 2)); done
NODE="127.0.0.1:$BASE"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "network init"
"$SL" network init --out "$NET" --base-port "$BASE" \
  --orgs exporter:exporter,forwarder:forwarder:client,customs:customs:client,importer:importer:client

step "start the exporter's node"
"$SLD" --config "$NET/exporter/node/node.yaml" >"$NET/node.log" 2>&1 &
NODE_PID=$!
for _ in $(seq 1 100); do
  "$SL" --node "$NODE" chain info >/dev/null 2>&1 && break
  kill -0 "$NODE_PID" 2>/dev/null || { cat "$NET/node.log"; exit 1; }
  sleep 0.1
done
"$SL" --node "$NODE" chain info

EXP="$NET/exporter/clients/admin"
FWD="$NET/forwarder/clients/admin"
CUS="$NET/customs/clients/admin"
IMP="$NET/importer/clients/admin"
SHIP="SHP-$(date +%Y%m%d)-$RANDOM"

ev() {  # ev IDENTITY TYPE [options...]: one event, signed by IDENTITY, awaited until committed
  local id=$1 type=$2
  shift 2
  printf '%-26s by %-9s ' "$type" "$(basename "$(dirname "$(dirname "$id")")")"
  "$SL" --node "$NODE" event submit --identity "$id" --shipment "$SHIP" --type "$type" --wait "$@"
}

step "shipment $SHIP: Shanghai -> Hamburg, each party signs its own events"
ev "$EXP" booked --location CNSHA --party forwarder --party customs --party importer \
  --ref booking=BK-2026-0042 --ref purchase_order=PO-77812 --detail goods="machine parts" \
  --detail packages=12
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
ev "$CUS" import_customs_held --location DEHAM --detail reason="documentary check"
ev "$CUS" import_customs_released --location DEHAM
ev "$FWD" out_for_delivery --location DEHAM
ev "$FWD" delivered --location DEHAM --detail received_by="goods-in dock 3"

step "after delivery only returns may follow"
if ev "$FWD" departed --location DEHAM; then echo "unexpected: accepted"; exit 1; fi

step "timeline"
"$SL" --node "$NODE" shipment show "$SHIP"
"$SL" --node "$NODE" shipment find --ref container=MSCU1234565

step "verify the chain through the node"
"$SL" --node "$NODE" verify --genesis "$NET/genesis.yaml"

step "stop the node (SIGTERM) and verify its data dir offline"
kill -TERM "$NODE_PID"
wait "$NODE_PID"
NODE_PID=""
"$SL" verify --data-dir "$NET/exporter/node/data" --genesis "$NET/genesis.yaml"
step "demo finished"
