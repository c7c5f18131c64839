#!/usr/bin/env bash
# The attack figures (docs/performance.md "Under attack"; DESIGN §6 "fairness under floods"):
# starts a fresh 4-node network on loopback and runs the same shipledger-loadgen load
#   1. with no attack (4 honest nodes),
#   2. with replica 3 stopped (a crashed replica: the baseline for 3),
#   3. with replica 3 Byzantine: shipledger-attack, holding replica 3's pinned key, floods the
#      primary (replica 0) with heartbeats and replayed frames as fast as it can,
#   4. with 4 honest nodes while CONNECTIONS silent TCP connections from 30 loopback addresses
#      are held on the primary's peer port,
# then, with and without that connection flood, times a replica killed and restarted 20,000
# events behind until it has caught up and is linked with the primary again (one link per
# pair: the primary's dial, or its own through the flooded port).
# Prints a table (and writes everything to the results file).
#
# Usage: bench/attack.sh [--events N] [--out FILE]
#   --events  events per load run (default 20000)
#   --out     results file (default: bench/results/attack-YYYYmmdd-HHMMSS.txt)
# Environment: BUILD_DIR (default build: the test build, which has shipledger-attack),
# CONNECTIONS (default 240). Builds the four programs it needs there if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

EVENTS=20000
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --events) EVENTS=${2:?--events needs a number}; shift ;;
    --out) OUT=${2:?--out needs a file}; shift ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "attack: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

export BUILD_DIR=${BUILD_DIR:-build}
CONNECTIONS=${CONNECTIONS:-240}
mkdir -p bench/results
OUT=${OUT:-bench/results/attack-$(date +%Y%m%d-%H%M%S).txt}
BIN="$ROOT/$BUILD_DIR"
SL="$BIN/src/cli/shipledger"
LOADGEN="$BIN/bench/shipledger-loadgen"
ATTACK="$BIN/tests/integration/shipledger-attack"
if ! [ -x "$SL" ] || ! [ -x "$BIN/src/node/shipledgerd" ] || ! [ -x "$LOADGEN" ] || ! [ -x "$ATTACK" ]; then
  echo "attack: building shipledgerd shipledger shipledger-loadgen shipledger-attack in $BUILD_DIR"
  cmake --build "$BUILD_DIR" -j "${JOBS:-2}" --target shipledgerd shipledger shipledger-loadgen \
    shipledger-attack >/dev/null
fi

WORK=$(mktemp -d /tmp/shipledger-attack.XXXXXX)
NET="$WORK/net"
ATTACK_PID=""
cleanup() {
  [ -n "$ATTACK_PID" ] && kill -TERM "$ATTACK_PID" 2>/dev/null || true
  [ -d "$NET/run" ] && scripts/devnet.sh down --dir "$NET" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*" | tee -a "$OUT"; }
log() { tee -a "$OUT"; }
# shellcheck source=bench/common.sh
source bench/common.sh
ORGS=(exporter forwarder customs importer)
grpc_of() { sed -n 's/^grpc_listen:[[:space:]]*//p' "$NET/${ORGS[$1]}/node/node.yaml" | tr -d '"[:space:]'; }
peer_port_of() { sed -n 's/^peer_listen:[[:space:]]*//p' "$NET/${ORGS[$1]}/node/node.yaml" | tr -d '"[:space:]' | sed 's/.*://'; }
pid_of() { cat "$NET/run/${ORGS[$1]}.pid"; }
stop_node() {
  local pid
  pid=$(pid_of "$1")
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}
# Node $1's status as one line of JSON.
status_json() {
  "$SL" --json --node "$(grpc_of "$1")" --identity "$NET/${ORGS[$1]}/clients/admin" status 2>/dev/null | tr -d ' \n'
}
# 1 when node $1 reports its link with replica $2 up (either direction), else 0.
link_in() {
  status_json "$1" | grep -o "{[^{}]*\"replica\":$2[,}][^{}]*}" | grep -q '"connected":true' && echo 1 || echo 0
}
# Runs the load through the nodes given (replica ids); prints "eps p99_ms".
load() {
  local nodes=() i
  for i in "$@"; do nodes+=(--node "$(grpc_of "$i")"); done
  "$LOADGEN" --network "$NET" "${nodes[@]}" --events "$EVENTS" --clients 16 --batch 20 \
    --verify-seconds 0.5 >"$WORK/load.txt" 2>&1 || { cat "$WORK/load.txt" >&2; exit 1; }
  grep -E '^(load|committed|latency)' "$WORK/load.txt" | log >&2
  echo "$(result_field committed_eps <"$WORK/load.txt") $(result_field p99_ms <"$WORK/load.txt")"
}
# Starts shipledger-attack with the arguments given, in the background (ATTACK_PID).
attack_start() {
  "$ATTACK" --seconds 3600 "$@" >"$WORK/attack.txt" 2>&1 &
  ATTACK_PID=$!
  sleep 1
}
attack_stop() {
  kill -TERM "$ATTACK_PID"
  wait "$ATTACK_PID" || true
  ATTACK_PID=""
  grep ATTACK "$WORK/attack.txt" | log >&2
}
# Kills replica 2, loads 20,000 events through the others, restarts it and prints the seconds
# until it holds as many events as they do and node 0 reports its link to node 0 up.
rejoin() {
  local start caught link deadline=$((SECONDS + 120))
  stop_node 2
  EVENTS=20000 load 0 1 3 >/dev/null
  start=$(date +%s.%N)
  scripts/devnet.sh up --dir "$NET" --no-build >/dev/null &
  "$LOADGEN" --network "$NET" --node "$(grpc_of 0)" --node "$(grpc_of 1)" --node "$(grpc_of 3)" \
    --catchup "$(grpc_of 2)" | log >&2
  caught=$(date +%s.%N)
  until [ "$(link_in 0 2)" = 1 ]; do
    sleep 0.05
    [ $SECONDS -lt $deadline ] || { echo "attack: replica 2's link to node 0 not up" >&2; exit 1; }
  done
  link=$(date +%s.%N)
  wait
  echo "$caught $link $start" | awk '{a = $1 - $3; b = $2 - $3; printf "%.1f", (a > b ? a : b)}'
}

{
  echo "shipledger attack bench $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), build $BUILD_DIR"
  echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)"
} | log

scripts/devnet.sh up --dir "$NET" --base-port "$(free_base 7650)" --no-build >/dev/null
# As bench/run.sh: one verifying thread per node, the four sharing this machine's cores.
scripts/devnet.sh down --dir "$NET" >/dev/null
for org in "${ORGS[@]}"; do echo "verify_threads: 1" >>"$NET/$org/node/node.yaml"; done
scripts/devnet.sh up --dir "$NET" --no-build >/dev/null

say "1. no attack, 4 nodes"
read -r EPS_NONE P99_NONE < <(load 0 1 2 3)
say "2. replica 3 stopped"
stop_node 3
read -r EPS_DOWN P99_DOWN < <(load 0 1 2)
say "3. replica 3 Byzantine: heartbeat and replay flood on the primary"
attack_start heartbeat-flood --genesis "$NET/genesis.yaml" --identity "$NET/importer/node" \
  --as 3 --target 0
read -r EPS_HB P99_HB < <(load 0 1 2)
attack_stop
scripts/devnet.sh status --dir "$NET" | log || true  # the views: a flood must force no change
scripts/devnet.sh up --dir "$NET" --no-build >/dev/null
say "rejoin of a restarted replica, no attack"
REJOIN_NONE=$(rejoin)
echo "rejoin: ${REJOIN_NONE} s" | log
say "4. $CONNECTIONS silent connections held on the primary's peer port"
attack_start connection-flood --port "$(peer_port_of 0)" --connections "$CONNECTIONS" --sources 30
read -r EPS_CONN P99_CONN < <(load 0 1 2 3)
say "rejoin of a restarted replica under the connection flood"
REJOIN_CONN=$(rejoin)
echo "rejoin: ${REJOIN_CONN} s" | log
attack_stop
scripts/devnet.sh status --dir "$NET" | log
tail -n 3 "$NET/logs/exporter.log" | grep -i refused | log || true

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
{
  echo
  printf '%-58s %10s %9s %8s\n' "run ($EVENTS events, 16 clients x 20)" "events/s" "p99 ms" "ratio"
  printf '%-58s %10s %9s %8s\n' "1. no attack, 4 nodes" "$EPS_NONE" "$P99_NONE" "1.00"
  printf '%-58s %10s %9s %8s\n' "2. replica 3 stopped" "$EPS_DOWN" "$P99_DOWN" "$(ratio "$EPS_DOWN" "$EPS_NONE")"
  printf '%-58s %10s %9s %8s\n' "3. replica 3 Byzantine, flooding the primary (vs 2.)" "$EPS_HB" "$P99_HB" "$(ratio "$EPS_HB" "$EPS_DOWN")"
  printf '%-58s %10s %9s %8s\n' "4. $CONNECTIONS silent connections on the primary (vs 1.)" "$EPS_CONN" "$P99_CONN" "$(ratio "$EPS_CONN" "$EPS_NONE")"
  printf '%-58s %10s s\n' "rejoin of a restarted replica, no attack" "$REJOIN_NONE"
  printf '%-58s %10s s\n' "rejoin of a restarted replica, connection flood" "$REJOIN_CONN"
} | log
echo
echo "attack: results in $OUT"
