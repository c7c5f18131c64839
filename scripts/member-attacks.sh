#!/usr/bin/env bash
# Replays, on a fresh 4-node network (scripts/devnet.sh, contract rules v3), the attacks of a
# member on other members that issue 19 lists, through the operator CLI alone, and checks each
# outcome. The attacker is `ocean`, a client-only carrier organisation of the network.
#   1. ocean signs an `exception` for a shipment it may not read, to become its party;
#   2. ocean's `pickup --wait` on that shipment and on one never booked: are the answers told
#      apart (the old receipt named the custodian)?
#   3. a contract decision (RETURN_APPROVED) added to a real proof, and a proof stripped of its
#      checkpoint: does `proof verify` still print a verdict and exit 0?
#   4. a stolen clerk key after its organisation's admin revoked it;
#   5. a node certificate used as a client identity.
# Each line says what was tried and what happened; the script exits 1 if any attack succeeds.
# Other attacks of the issue are covered by tests named in its note (high-S certificates:
# x509_interop_test; node pinning: node_pinning_test; quotas: quota_test; offer work:
# bench/offer_bench.cc).
#
# Usage: scripts/member-attacks.sh [--keep]   (--keep leaves the network folder in place)
# Environment: BUILD_DIR (default build).
set -euo pipefail
cd "$(dirname "$0")/.."
KEEP=0
[ "${1:-}" = "--keep" ] && KEEP=1
SL="$PWD/${BUILD_DIR:-build}/src/cli/shipledger"
[ -x "$SL" ] || { echo "member-attacks: build first (scripts/build.sh)" >&2; exit 1; }
command -v protoc >/dev/null || { echo "member-attacks: needs protoc" >&2; exit 1; }

NET=$(mktemp -d /tmp/shipledger-attacks.XXXXXX)
cleanup() {
  scripts/devnet.sh down --dir "$NET" >/dev/null 2>&1 || true
  if [ "$KEEP" = 1 ]; then echo "network kept in $NET"; else rm -rf "$NET"; fi
}
trap cleanup EXIT
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
BASE=7250
while ! { port_free "$BASE" && port_free $((BASE + 7)); }; do BASE=$((BASE + 8)); done
scripts/devnet.sh up --dir "$NET" --base-port "$BASE" --no-build >/dev/null

NODE="127.0.0.1:$BASE"
EXP="$NET/exporter/clients/admin"
IMP="$NET/importer/clients/admin"
OCN="$NET/ocean/clients/admin"
FAILED=0
as() { local id=$1; shift; "$SL" --node "$NODE" --identity "$id" "$@"; }
outcome() {  # outcome OK|BROKEN WHAT
  printf '%-7s %s\n' "$1" "$2"
  [ "$1" = OK ] || FAILED=1
}
# Event ids, heights and the shipment id replaced, so that two answers can be compared.
normalise() { sed -E "s/[0-9a-f]{64}/EVENT/g; s/height [0-9]+/height H/g; s/$1/SHIPMENT/g"; }

as "$EXP" event submit --shipment S-1 --type booked --party importer --wait >/dev/null
as "$EXP" event submit --shipment S-1 --type pickup --wait >/dev/null

echo "== 1. ocean makes itself a party of S-1 by signing an exception"
set +e
as "$OCN" event submit --shipment S-1 --type exception --wait >"$NET/a1.txt" 2>&1
code=$?
as "$OCN" shipment show S-1 >"$NET/a1-read.txt" 2>&1
read_code=$?
set -e
sed 's/^/    /' "$NET/a1.txt" "$NET/a1-read.txt"
if [ $code = 3 ] && grep -q "REJECTED: shipment S-1 is not booked" "$NET/a1.txt" && [ $read_code != 0 ]; then
  outcome OK "the exception is REJECTED as on an unknown shipment; ocean still cannot read S-1"
else
  outcome BROKEN "ocean's exception (exit $code) or its read (exit $read_code)"
fi

echo "== 2. ocean's pickup on the hidden S-1 and on NOPE-1, never booked"
set +e
as "$OCN" event submit --shipment S-1 --type pickup --wait 2>&1 | normalise S-1 >"$NET/a2-hidden.txt"
as "$OCN" event submit --shipment NOPE-1 --type pickup --wait 2>&1 | normalise NOPE-1 >"$NET/a2-unknown.txt"
set -e
sed 's/^/    /' "$NET/a2-hidden.txt"
if cmp -s "$NET/a2-hidden.txt" "$NET/a2-unknown.txt" && ! grep -q custodian "$NET/a2-hidden.txt"; then
  outcome OK "both answers are the same, byte for byte (ids and heights aside); no custodian named"
else
  diff "$NET/a2-hidden.txt" "$NET/a2-unknown.txt" | sed 's/^/    /' || true
  outcome BROKEN "the answers differ"
fi

echo "== 3. a contract decision added to a real proof; a proof without its checkpoint"
as "$EXP" event submit --shipment S-2 --type booked --party importer --consignee importer \
  --leg CNSHA:NLRTM:sea:open --currency EUR --wait >/dev/null
OFFER=$(as "$OCN" --json event submit --shipment OFFER-1 --type carrier_offer --mode sea \
  --lane CN:NL --price 185000 --currency EUR --valid-from +0s --valid-until +30d --wait |
  sed -n 's/^  "event_id": "\([0-9a-f]*\)".*/\1/p')
as "$OCN" proof get "$OFFER" --out "$NET/offer.proof" --wait >/dev/null
P=(-I proto proto/shipledger/v1/types.proto)
protoc --decode=shipledger.v1.EventProof "${P[@]}" <"$NET/offer.proof" >"$NET/offer.txt"
# The receipt's outputs: add a RETURN_APPROVED for S-2 after the LEG_ASSIGNED one.
awk '/^receipt \{/ { r = 1 } r && /^}/ { print "  outputs {\n    kind: KIND_RETURN_APPROVED\n    shipment_id: \"S-2\"\n  }"; r = 0 } { print }' \
  "$NET/offer.txt" >"$NET/forged.txt"
protoc --encode=shipledger.v1.EventProof "${P[@]}" <"$NET/forged.txt" >"$NET/forged.proof"
# Without its checkpoint and the results links above its own block.
awk '/^checkpoint \{/ { skip = 1 } skip { if (/^}/) skip = 0; next } { print }' "$NET/offer.txt" |
  awk '/^results_chain \{/ { n++ } /^results_chain \{/ && n > 1 { skip = 1 } skip { if (/^}/) skip = 0; next } { print }' \
    >"$NET/uncertified.txt"
protoc --encode=shipledger.v1.EventProof "${P[@]}" <"$NET/uncertified.txt" >"$NET/uncertified.proof"
set +e
"$SL" proof verify "$NET/offer.proof" --genesis "$NET/genesis.yaml" >"$NET/a3-real.txt" 2>&1
real=$?
"$SL" proof verify "$NET/forged.proof" --genesis "$NET/genesis.yaml" >"$NET/a3-forged.txt" 2>&1
forged=$?
"$SL" proof verify "$NET/uncertified.proof" --genesis "$NET/genesis.yaml" >"$NET/a3-unc.txt" 2>&1
uncertified=$?
set -e
grep -e "^proof" -e "decision" "$NET/a3-real.txt" | sed 's/^/    real:        /'
head -n 1 "$NET/a3-forged.txt" | sed 's/^/    forged:      /'
head -n 1 "$NET/a3-unc.txt" | sed 's/^/    uncertified: /'
if [ $real = 0 ] && grep -q "decision: → leg 1 assigned to ocean (offer OFFER-1, 1850.00) \[S-2\]" "$NET/a3-real.txt" &&
  [ $forged = 2 ] && [ $uncertified = 4 ] && ! grep -q "verdict .*VALID" "$NET/a3-unc.txt"; then
  outcome OK "the real proof shows its decision (exit 0), the forged one fails (exit 2), the uncertified one gives no verdict (exit 4)"
else
  outcome BROKEN "real exit $real, forged exit $forged, uncertified exit $uncertified"
fi

echo "== 4. a clerk's stolen key, revoked by its organisation's admin"
FP=$("$SL" identity issue --org-dir "$NET/importer" --name clerk | sed -n 's/^fingerprint //p')
CLERK="$NET/importer/clients/clerk"
as "$CLERK" shipment show S-1 >/dev/null
as "$IMP" event submit --type certificate_revocation --fingerprint "$FP" --reason stolen --wait |
  sed 's/^/    /'
set +e
as "$CLERK" shipment show S-1 >"$NET/a4.txt" 2>&1
code=$?
set -e
sed 's/^/    /' "$NET/a4.txt"
if [ $code != 0 ] && grep -q "UNAUTHENTICATED.*revoked at height" "$NET/a4.txt"; then
  outcome OK "the clerk read S-1 before; after the revocation the node refuses it"
else
  outcome BROKEN "the revoked clerk (exit $code)"
fi

echo "== 5. the exporter's node certificate used as a client identity"
mkdir -p "$NET/stolen-node-id"
cp "$NET/exporter/node/cert.pem" "$NET/exporter/node/key.pem" "$NET/stolen-node-id/"
set +e
"$SL" --node "$NODE" --identity "$NET/stolen-node-id" --genesis "$NET/genesis.yaml" \
  shipment show S-1 >"$NET/a5.txt" 2>&1
code=$?
set -e
sed 's/^/    /' "$NET/a5.txt"
if [ $code != 0 ] && grep -q "UNAUTHENTICATED" "$NET/a5.txt"; then
  outcome OK "refused as a client"
else
  outcome BROKEN "a node certificate was accepted as a client (exit $code)"
fi

if [ $FAILED = 0 ]; then echo "member-attacks: every attack was refused"; else
  echo "member-attacks: an attack succeeded" >&2
  exit 1
fi
