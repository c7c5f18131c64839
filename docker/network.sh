#!/usr/bin/env bash
# Creates the four-party network that docker/compose.yaml runs, in docker/net/ (or $1): one
# organisation per node (exporter node0, forwarder node1, customs node2, importer node3), each
# node certificate naming its container, node.yaml set up for a container (data under
# /var/lib/shipledger, the operations endpoint on 0.0.0.0 over TLS), and per organisation a
# `monitor` identity for Prometheus and the container health check.
# Usage: docker/network.sh [OUT_DIR]   (SHIPLEDGER: the CLI to use; default: build/src/cli/shipledger,
#        else shipledger on PATH). Run as root (as podman and docker usually are) it hands the
#        files the containers read to their user, uid 10001.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/net}
SL=${SHIPLEDGER:-}
if [ -z "$SL" ]; then
  if [ -x "$HERE/../build/src/cli/shipledger" ]; then SL="$HERE/../build/src/cli/shipledger"; else SL=shipledger; fi
fi
ORGS=(exporter forwarder customs importer)
CONTAINER_UID=10001

if [ -e "$OUT/genesis.yaml" ]; then
  echo "network.sh: $OUT already holds a network; remove it first (its data lives in the volumes)" >&2
  exit 1
fi
HOSTS=()
for i in "${!ORGS[@]}"; do HOSTS+=(--host "${ORGS[$i]}=node$i"); done
"$SL" network init --out "$OUT" --base-port 7050 \
  --orgs exporter:exporter,forwarder:forwarder,customs:customs,importer:importer "${HOSTS[@]}" >/dev/null
for i in "${!ORGS[@]}"; do
  org=${ORGS[$i]}
  yaml="$OUT/$org/node/node.yaml"
  sed -i 's|^data_dir: .*|data_dir: /var/lib/shipledger/data|' "$yaml"
  printf 'operations_listen: 0.0.0.0:%d\noperations_tls: true\n' $((9440 + i)) >>"$yaml"
  "$SL" identity issue --org-dir "$OUT/$org" --name monitor >/dev/null
  if [ "$(id -u)" -eq 0 ]; then
    chown -R "$CONTAINER_UID:$CONTAINER_UID" "$OUT/$org/node" "$OUT/$org/clients/monitor"
  fi
done
echo "network in $OUT: node0..node3 (exporter, forwarder, customs, importer); start it with"
echo "  podman-compose -f $HERE/compose.yaml up -d     (or docker compose)"
