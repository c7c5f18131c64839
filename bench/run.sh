#!/usr/bin/env bash
# The benchmark suite (docs/performance.md): builds in Release, starts a fresh 4-node network
# and a 1-node network on loopback, runs shipledger-loadgen against each at peak and the 4-node
# one again at half its peak rate (latency), times a backup's catch-up by state transfer, fills
# a node with 1,000,000 events and times shipment history and RSS there, runs the
# micro-benchmarks, and writes everything to a results file.
#
# Usage: bench/run.sh [--quick] [--out FILE]
#   --quick   only the 4-node and 1-node peak runs (under a minute once built)
#   --out     results file (default: bench/results/run-YYYYmmdd-HHMMSS.txt)
# Environment: BUILD_DIR (default build-release), HISTORY_EVENTS (default 1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

QUICK=0
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --out) OUT=${2:?--out needs a file}; shift ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

export BUILD_DIR=${BUILD_DIR:-build-release}
HISTORY_EVENTS=${HISTORY_EVENTS:-1000000}
mkdir -p bench/results
OUT=${OUT:-bench/results/run-$(date +%Y%m%d-%H%M%S).txt}

say() { printf '\n\033[1m== %s\033[0m\n' "$*" | tee -a "$OUT"; }
log() { tee -a "$OUT"; }

echo "bench: building Release into $BUILD_DIR"
BUILD_TYPE=Release scripts/build.sh -DSHIPLEDGER_BUILD_TESTS=OFF >/dev/null
BIN="$ROOT/$BUILD_DIR"
SL="$BIN/src/cli/shipledger"
SLD="$BIN/src/node/shipledgerd"
LOADGEN="$BIN/bench/shipledger-loadgen"
MICRO="$BIN/bench/shipledger_microbench"

WORK=$(mktemp -d /tmp/shipledger-bench.XXXXXX)
NET4="$WORK/net4"
SOLO_PIDS=()
cleanup() {
  [ -d "$NET4/run" ] && scripts/devnet.sh down --dir "$NET4" >/dev/null 2>&1 || true
  local pid
  for pid in "${SOLO_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# shellcheck source=bench/common.sh
source bench/common.sh

{
  echo "shipledger benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)," \
    "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), kernel $(uname -r)"
} | log

# Starts the shipledgerd of a 1-node network in $1 (made by network init) and waits until it
# answers; sets SOLO_PID. Not called in $(...): the pid must reach SOLO_PIDS of this shell so
# that the exit trap stops the node even when a later step fails.
start_solo() {
  local dir=$1
  mkdir -p "$dir/logs"
  setsid "$SLD" --config "$dir/exporter/node/node.yaml" >>"$dir/logs/exporter.log" 2>&1 </dev/null &
  local pid=$!
  SOLO_PIDS+=("$pid")
  local endpoint deadline=$((SECONDS + 60))
  endpoint=$(sed -n 's/^grpc_listen:[[:space:]]*//p' "$dir/exporter/node/node.yaml" | tr -d '"[:space:]')
  until "$SL" --node "$endpoint" --identity "$dir/exporter/clients/admin" status >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$dir/logs/exporter.log" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { echo "bench: node in $dir not ready" >&2; exit 1; }
    sleep 0.1
  done
  SOLO_PID=$pid
}
init_solo() {
  "$SL" network init --out "$1" --base-port "$(free_base "$2")" \
    --orgs exporter:exporter,forwarder:forwarder:client,customs:customs:client,importer:importer:client >/dev/null
}
pids4() { for org in exporter forwarder customs importer; do echo "--pid $(cat "$NET4/run/$org.pid")"; done; }

# --- 4 nodes -----------------------------------------------------------------------------
say "4 nodes (PBFT, n = 4, f = 1) on this machine: peak"
scripts/devnet.sh up --dir "$NET4" --base-port "$(free_base 7350)" --no-build >/dev/null
# The four nodes share this machine's cores: one verifying thread each (node.yaml
# verify_threads: 1) instead of a pool per node that would only add hand-offs
# (docs/performance.md has both).
scripts/devnet.sh down --dir "$NET4" >/dev/null
for org in exporter forwarder customs importer; do
  echo "verify_threads: 1" >>"$NET4/$org/node/node.yaml"
done
scripts/devnet.sh up --dir "$NET4" --no-build >/dev/null
EVENTS4=$([ $QUICK = 1 ] && echo 30000 || echo 60000)
"$LOADGEN" --network "$NET4" --events "$EVENTS4" --clients 16 --batch 100 $(pids4) | log
PEAK4=$(result_field committed_eps <"$OUT")

if [ $QUICK = 0 ]; then
  HALF=$(awk -v p="$PEAK4" 'BEGIN {printf "%d", p / 2}')
  say "4 nodes at half the peak rate ($HALF events/s): latency"
  "$LOADGEN" --network "$NET4" --events $((HALF * 20)) --clients 32 --batch 20 --rate "$HALF" \
    $(pids4) | log

  say "4 nodes: catch-up of a backup by state transfer"
  IMP_PID=$(cat "$NET4/run/importer.pid")
  kill -TERM "$IMP_PID"
  while kill -0 "$IMP_PID" 2>/dev/null; do sleep 0.1; done
  THREE=()
  for org in exporter forwarder customs; do
    THREE+=(--node "$(sed -n 's/^grpc_listen:[[:space:]]*//p' "$NET4/$org/node/node.yaml" | tr -d '"[:space:]')")
  done
  "$LOADGEN" --network "$NET4" "${THREE[@]}" --events 100000 --clients 16 --batch 100 |
    grep -E '^(load|committed|RESULT)' | sed 's/^RESULT/(3 of 4 nodes) RESULT/' | log
  IMP=$(sed -n 's/^grpc_listen:[[:space:]]*//p' "$NET4/importer/node/node.yaml" | tr -d '"[:space:]')
  scripts/devnet.sh up --dir "$NET4" --no-build >/dev/null &
  "$LOADGEN" --network "$NET4" "${THREE[@]}" --catchup "$IMP" | log
  wait
fi
scripts/devnet.sh down --dir "$NET4" >/dev/null

# --- 1 node ------------------------------------------------------------------------------
say "1 node: peak"
init_solo "$WORK/net1" 7450
start_solo "$WORK/net1"
PID1=$SOLO_PID
EVENTS1=$([ $QUICK = 1 ] && echo 100000 || echo 200000)
"$LOADGEN" --network "$WORK/net1" --events "$EVENTS1" --clients 16 --batch 100 --pid "$PID1" | log
kill -TERM "$PID1"

if [ $QUICK = 0 ]; then
  say "1 node holding $HISTORY_EVENTS events: shipment history of 100 events, RSS"
  init_solo "$WORK/net1m" 7550
  start_solo "$WORK/net1m"
  PID1M=$SOLO_PID
  "$LOADGEN" --network "$WORK/net1m" --events "$HISTORY_EVENTS" --clients 16 --batch 200 \
    --pid "$PID1M" --history-shipments 20 --history-events 100 --history-queries 2000 \
    --history-settle 30 | log
  echo "data dir: $(du -sh "$WORK/net1m/exporter/node/data" | cut -f1) for $HISTORY_EVENTS events" | log
  kill -TERM "$PID1M"

  say "micro-benchmarks"
  "$MICRO" --benchmark_min_time=0.5 2>&1 | log
fi

echo
echo "bench: results in $OUT"
