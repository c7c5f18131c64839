#!/usr/bin/env bash
# The container test (run by hand before resolving; it takes long: a full build in the image).
# Builds the images, starts the four-party network of compose.yaml with Prometheus, runs a
# journey through it with the CLI, checks that every node has the same head and that Prometheus
# scraped all four nodes, then stops it (every node must exit 0 on SIGTERM) and removes it.
# Needs root, podman, runc, podman-compose (installed if missing) and the CLI built on the host
# (scripts/build.sh; SHIPLEDGER=path to use another).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SL=${SHIPLEDGER:-$ROOT/build/src/cli/shipledger}
START=$(date +%s)
say() { echo "[$(($(date +%s) - START)) s] $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "run as root (podman rootful, debootstrap)"
[ -x "$SL" ] || fail "no CLI at $SL: run scripts/build.sh first"

# golang-github-containernetworking-plugin-dnsname: podman 4.3 with CNI resolves container names
# (node0 ... node3, which the nodes dial) only with the dnsname plugin.
for p in podman runc podman-compose debootstrap golang-github-containernetworking-plugin-dnsname; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p"
done
# The two settings these machines need (no ulimit changes, runc under cgroupfs).
CONF=/etc/containers/containers.conf
if ! grep -q "default_ulimits" "$CONF" 2>/dev/null; then
  mkdir -p /etc/containers
  printf '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n' >>"$CONF"
fi
PODMAN=(podman --runtime runc --cgroup-manager cgroupfs)
# -p: podman-compose 1.0.3 ignores compose.yaml's `name:` and would call the project "docker".
COMPOSE=(podman-compose -p shipledger --podman-args "--runtime runc --cgroup-manager cgroupfs"
  -f "$HERE/compose.yaml")

say "base images"
"$HERE/base-images.sh"
say "building localhost/shipledger (the whole build runs in the image)"
"${PODMAN[@]}" build -q --format docker -f "$HERE/Dockerfile" -t localhost/shipledger:latest "$ROOT" >/dev/null
say "building localhost/shipledger-prometheus"
"${PODMAN[@]}" build -q --format docker -f "$HERE/prometheus/Dockerfile" -t localhost/shipledger-prometheus:latest "$HERE" >/dev/null
"${PODMAN[@]}" image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep shipledger

"${COMPOSE[@]}" down -v >/dev/null 2>&1 || true
rm -rf "$HERE/net"
SHIPLEDGER="$SL" "$HERE/network.sh" "$HERE/net" >/dev/null
cleanup() { "${COMPOSE[@]}" down -v >/dev/null 2>&1 || true; }
trap cleanup EXIT
say "starting the network"
"${COMPOSE[@]}" up -d >/dev/null

NET="$HERE/net"
ORGS=(exporter forwarder customs importer)
for i in 0 1 2 3; do
  node="127.0.0.1:$((7050 + 2 * i))"
  id="$NET/${ORGS[$i]}/clients/admin"
  for _ in $(seq 120); do "$SL" --node "$node" --identity "$id" health >/dev/null 2>&1 && break; sleep 1; done
  "$SL" --node "$node" --identity "$id" health >/dev/null || fail "node$i does not answer"
done
say "all four nodes serve"

# A journey through all four nodes, each party at its own node.
A() { echo "$NET/$1/clients/admin"; }
N() { echo "127.0.0.1:$((7050 + 2 * $1))"; }
S=DOCKER-1
"$SL" --node "$(N 0)" --identity "$(A exporter)" event submit --shipment $S --type booked \
  --party forwarder --party customs --party importer --location DEHAM --wait | grep -q VALID || fail "booked"
"$SL" --node "$(N 0)" --identity "$(A exporter)" event submit --shipment $S --type pickup --location DEHAM --wait | grep -q VALID || fail "pickup"
"$SL" --node "$(N 0)" --identity "$(A exporter)" event submit --shipment $S --type export_customs_declared \
  --location DEHAM --ref customs_declaration=EXD-1 --wait | grep -q VALID || fail "export_customs_declared"
"$SL" --node "$(N 2)" --identity "$(A customs)" event submit --shipment $S --type export_customs_cleared \
  --location DEHAM --wait | grep -q VALID || fail "export_customs_cleared (customs at its own node)"
for i in $(seq 1 20); do
  "$SL" --node "$(N $((i % 4)))" --identity "$(A "${ORGS[$((i % 4))]}")" event submit \
    --shipment "DOCKER-B$i" --type booked --wait >/dev/null 2>&1 || true
done
"$SL" --node "$(N 3)" --identity "$(A importer)" shipment show $S | head -5
heads=()
for _ in $(seq 30); do
  heads=()
  for i in 0 1 2 3; do
    heads+=("$("$SL" --node "$(N $i)" --identity "$(A "${ORGS[$i]}")" --json status | /usr/bin/python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["height"], s["head_hash"])')")
  done
  [ "${heads[0]}" = "${heads[1]}" ] && [ "${heads[0]}" = "${heads[2]}" ] && [ "${heads[0]}" = "${heads[3]}" ] && break
  sleep 1
done
for i in 0 1 2 3; do echo "node$i: ${heads[$i]}"; done
[ "${heads[0]}" = "${heads[3]}" ] && [ "${heads[1]}" = "${heads[2]}" ] && [ "${heads[0]}" = "${heads[1]}" ] || fail "heads differ"
say "the four heads agree"

for _ in $(seq 60); do
  up=$(/usr/bin/python3 - <<'PY'
import json, urllib.request
q = urllib.request.quote('up{job="shipledger"} == 1')
r = json.load(urllib.request.urlopen("http://127.0.0.1:9090/api/v1/query?query=" + q))
print(len(r["data"]["result"]))
PY
  ) || up=0
  [ "$up" = 4 ] && break
  sleep 2
done
[ "$up" = 4 ] || fail "Prometheus scraped $up of 4 nodes"
say "Prometheus scrapes all four nodes"

# A backup while the network runs, copied out of the container and verified offline.
backup=$("$SL" --node "$(N 2)" --identity "$(A customs)" --json backup |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["path"])')
rm -rf "$HERE/net/node2-backup"
"${PODMAN[@]}" cp "shipledger_node2_1:$backup" "$HERE/net/node2-backup"
"$SL" verify --data-dir "$HERE/net/node2-backup" --genesis "$NET/genesis.yaml" | grep -q "chain OK" ||
  fail "the backup of node2 does not verify"
say "an online backup of node2 verifies offline"

"${COMPOSE[@]}" stop >/dev/null
stopped=0
for c in $("${PODMAN[@]}" ps -a --filter label=io.podman.compose.project=shipledger --format '{{.Names}}' | grep node); do
  code=$("${PODMAN[@]}" inspect --format '{{.State.ExitCode}}' "$c")
  [ "$code" = 0 ] || fail "$c exited $code on SIGTERM"
  stopped=$((stopped + 1))
done
[ "$stopped" = 4 ] || fail "found $stopped stopped node containers, not 4"
say "every node stopped cleanly on SIGTERM; docker/test.sh passed"
