#!/usr/bin/env bash
# A/B of the 1-node fill (docs/performance.md): for each checkout given, in turn, a fresh 1-node
# network on loopback and N events from 16 clients in batches of 200, as bench/run.sh's 1M fill
# does. Each checkout needs a Release build in build-release (bench/run.sh --quick makes one).
# Alternate the checkouts (a b a b) so that both see the same machine.
# Usage: bench/fill-ab.sh N CHECKOUT...     e.g. bench/fill-ab.sh 300000 ../before . ../before .
set -euo pipefail
N=${1:?usage: bench/fill-ab.sh N CHECKOUT...}
shift
[ $# -gt 0 ] || { echo "fill-ab: name at least one checkout" >&2; exit 2; }
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
for checkout in "$@"; do
  bin=$(cd "$checkout" && pwd)/build-release
  sl=$bin/src/cli/shipledger
  [ -x "$sl" ] || { echo "fill-ab: no Release build in $checkout/build-release" >&2; exit 1; }
  work=$(mktemp -d /tmp/shipledger-fill-ab.XXXXXX)
  "$sl" network init --out "$work/net" --base-port "$(free_base 7650)" \
    --orgs exporter:exporter,forwarder:forwarder:client,customs:customs:client,importer:importer:client >/dev/null
  config=$work/net/exporter/node/node.yaml
  setsid "$bin/src/node/shipledgerd" --config "$config" >"$work/node.log" 2>&1 </dev/null &
  pid=$!
  endpoint=$(sed -n 's/^grpc_listen:[[:space:]]*//p' "$config" | tr -d '"[:space:]')
  deadline=$((SECONDS + 60))
  until "$sl" --node "$endpoint" --identity "$work/net/exporter/clients/admin" status >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      tail -n 20 "$work/node.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "== $checkout ($(git -C "$checkout" rev-parse --short HEAD 2>/dev/null || echo '?'))"
  "$bin/bench/shipledger-loadgen" --network "$work/net" --events "$N" --clients 16 --batch 200 \
    --pid "$pid" | grep RESULT
  kill -TERM "$pid"
  wait "$pid" || true
  rm -rf "$work"
done
