#!/usr/bin/env bash
# Validates what shipledger exports against GS1's EPCIS 2.0 JSON schema and DCSA's T&T 2.2
# OpenAPI, which are not in the repository (docs/interop.md, "Schema checks"):
#   SHIPLEDGER_SCHEMA_DIR=DIR scripts/validate-interop.sh [BUILD_DIR]
# The interop unit tests write the documents they check (a shipment with every event type) into
# a temporary folder; each is then validated with scripts/validate-interop.py. Further documents
# (for example `shipledger export` output) may be given as epcis:FILE or dcsa:FILE arguments
# after BUILD_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
shift || true
: "${SHIPLEDGER_SCHEMA_DIR:?set SHIPLEDGER_SCHEMA_DIR (see scripts/validate-interop.py)}"
export SHIPLEDGER_SCHEMA_DIR
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
SHIPLEDGER_INTEROP_DUMP=$out "$build/tests/unit/interop/interop_unit_tests" \
  --gtest_filter='EpcisExport.DocumentsFollowTheEpcisSchemaRules:DcsaExport.EventsFollowTheTrackAndTraceSchemaRules' \
  >/dev/null
status=0
check() {
  printf '%s %s: ' "$1" "$2"
  python3 "$here/validate-interop.py" "$1" "$2" || status=1
}
check epcis "$out/epcis.json"
check dcsa "$out/dcsa.json"
for extra in "$@"; do check "${extra%%:*}" "${extra#*:}"; done
exit $status
