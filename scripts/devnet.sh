#!/usr/bin/env bash
# A 4-node development network on loopback: four organisations (exporter, forwarder, customs,
# importer), each running its own shipledgerd, ordering under PBFT (n = 4, f = 1).
#
# Usage: scripts/devnet.sh up|down|status [--dir DIR] [--base-port P] [--no-build]
#   up      builds if needed (scripts/build.sh), creates the network in DIR unless it exists,
#           starts the nodes that are not running (logs DIR/logs/ORG.log, pid files
#           DIR/run/ORG.pid) and waits until every node answers `shipledger status`
#   status  prints each node's view, height and head hash (exit 1 if a node is down)
#   down    stops the running nodes with SIGTERM and waits for them to exit
# DIR defaults to /tmp/shipledger-devnet, P to 7050 (node i: gRPC P+2i, peers P+2i+1).
# Every command is idempotent; `up` after `down` restarts the same network with its data.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

ORGS=(exporter forwarder customs importer)
DIR=/tmp/shipledger-devnet
BASE_PORT=""
BUILD=1
CMD=""
usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}
while [ $# -gt 0 ]; do
  case "$1" in
    up | down | status) CMD=$1 ;;
    --dir) DIR=${2:?--dir needs a folder}; shift ;;
    --dir=*) DIR=${1#--dir=} ;;
    --base-port) BASE_PORT=${2:?--base-port needs a port}; shift ;;
    --base-port=*) BASE_PORT=${1#--base-port=} ;;
    --no-build) BUILD=0 ;;
    -h | --help) usage 0 ;;
    *) echo "devnet: unknown argument '$1'" >&2; usage ;;
  esac
  shift
done
[ -n "$CMD" ] || usage
if [ -n "$BASE_PORT" ] && ! [[ "$BASE_PORT" =~ ^[0-9]+$ && "$BASE_PORT" -ge 1 && "$BASE_PORT" -le 65520 ]]; then
  echo "devnet: --base-port must be a number from 1 to 65520, got '$BASE_PORT'" >&2
  exit 2
fi
mkdir -p "$(dirname "$DIR")"
DIR=$(cd "$(dirname "$DIR")" && pwd)/$(basename "$DIR")

BIN="$ROOT/${BUILD_DIR:-build}/src"
SL="$BIN/cli/shipledger"
SLD="$BIN/node/shipledgerd"

say() { printf 'devnet: %s\n' "$*"; }
die() { printf 'devnet: %s\n' "$*" >&2; exit 1; }

node_yaml() { echo "$DIR/$1/node/node.yaml"; }
# The node's gRPC address, from its node.yaml.
endpoint() { sed -n 's/^grpc_listen:[[:space:]]*//p' "$(node_yaml "$1")" | tr -d '"[:space:]'; }
pid_file() { echo "$DIR/run/$1.pid"; }
# The pid of the org's node if it is running (and is a shipledgerd), else nothing.
running_pid() {
  local f pid
  f=$(pid_file "$1")
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q shipledgerd "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
  fi
}
have_network() { [ -f "$DIR/genesis.yaml" ]; }
need_binaries() {
  [ -x "$SL" ] && [ -x "$SLD" ] || die "binaries missing in $BIN: run scripts/build.sh or 'devnet.sh up'"
}
# A top-level number or string field of `shipledger --json status` output (keys of the document
# are indented by exactly two spaces; the peers' fields are deeper).
json_field() { sed -n "s/^  \"$1\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p"; }

cmd_up() {
  if [ "$BUILD" = 1 ]; then
    say "building (scripts/build.sh)"
    JOBS=${JOBS:-2} scripts/build.sh >/dev/null || die "build failed: run scripts/build.sh to see why"
  fi
  need_binaries
  if have_network; then
    say "using the network in $DIR"
    if [ -n "$BASE_PORT" ] && [ "$(endpoint exporter)" != "127.0.0.1:$BASE_PORT" ]; then
      die "$DIR was created with gRPC ports from $(endpoint exporter); --base-port $BASE_PORT does not apply (run 'devnet.sh down' and remove $DIR to start afresh)"
    fi
  else
    local base=${BASE_PORT:-7050} out
    say "creating a 4-organisation network in $DIR (ports $base..$((base + 7)))"
    # Each organisation's role is its name: every one of them runs a node.
    if ! out=$("$SL" network init --out "$DIR" --base-port "$base" \
      --orgs exporter:exporter,forwarder:forwarder,customs:customs,importer:importer,ocean:carrier:client 2>&1); then
      printf '%s\n' "$out" >&2
      die "network init failed"
    fi
    printf '%s\n' "$out" >"$DIR/init.log"
  fi
  mkdir -p "$DIR/logs" "$DIR/run"
  local org pid
  for org in "${ORGS[@]}"; do
    pid=$(running_pid "$org")
    if [ -n "$pid" ]; then
      say "$org: already running (pid $pid, $(endpoint "$org"))"
      continue
    fi
    # setsid: the node outlives this script and the terminal's signals.
    setsid "$SLD" --config "$(node_yaml "$org")" >>"$DIR/logs/$org.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$(pid_file "$org")"
    # Until the child has exec'd, /proc/PID/cmdline is still this script's and running_pid
    # would call the node gone: wait (at most 5 s) for the exec, or for the process to end.
    local tries=0
    while [ $tries -lt 500 ] && kill -0 "$pid" 2>/dev/null &&
      ! grep -q shipledgerd "/proc/$pid/cmdline" 2>/dev/null; do
      sleep 0.01
      tries=$((tries + 1))
    done
    say "$org: started (pid $pid, gRPC $(endpoint "$org"), log $DIR/logs/$org.log)"
  done
  local deadline=$((SECONDS + 60)) waiting
  while :; do
    waiting=()
    for org in "${ORGS[@]}"; do
      if [ -z "$(running_pid "$org")" ]; then
        tail -n 20 "$DIR/logs/$org.log" >&2 || true
        die "$org: node exited during start-up (log above: $DIR/logs/$org.log)"
      fi
      "$SL" --node "$(endpoint "$org")" --identity "$DIR/$org/clients/admin" status >/dev/null 2>&1 || waiting+=("$org")
    done
    [ ${#waiting[@]} -eq 0 ] && break
    [ $SECONDS -lt $deadline ] || die "not ready after 60 s: ${waiting[*]} (see $DIR/logs/)"
    sleep 0.2
  done
  say "all 4 nodes ready"
  cmd_status
}

cmd_status() {
  have_network || die "no network in $DIR ('devnet.sh up' creates one)"
  need_binaries
  local org pid out down=0
  printf '%-10s %-7s %-16s %-5s %-8s %-7s %s\n' ORG PID GRPC VIEW PRIMARY HEIGHT HEAD
  for org in "${ORGS[@]}"; do
    pid=$(running_pid "$org")
    if [ -z "$pid" ]; then
      printf '%-10s %-7s %-16s %s\n' "$org" - "$(endpoint "$org")" "not running"
      down=1
      continue
    fi
    if ! out=$("$SL" --json --node "$(endpoint "$org")" --identity "$DIR/$org/clients/admin" status 2>&1); then
      printf '%-10s %-7s %-16s %s\n' "$org" "$pid" "$(endpoint "$org")" "not answering: $out"
      down=1
      continue
    fi
    printf '%-10s %-7s %-16s %-5s %-8s %-7s %s\n' "$org" "$pid" "$(endpoint "$org")" \
      "$(json_field view <<<"$out")" "$(json_field primary <<<"$out")" \
      "$(json_field height <<<"$out")" "$(json_field head_hash <<<"$out")"
  done
  return $down
}

cmd_down() {
  if ! [ -d "$DIR/run" ]; then
    say "nothing running in $DIR"
    return 0
  fi
  local org pid pids=()
  for org in "${ORGS[@]}"; do
    pid=$(running_pid "$org")
    if [ -z "$pid" ]; then
      say "$org: not running"
      rm -f "$(pid_file "$org")"
      continue
    fi
    kill -TERM "$pid"
    pids+=("$org:$pid")
  done
  local deadline=$((SECONDS + 30)) entry
  for entry in "${pids[@]}"; do
    org=${entry%%:*}
    pid=${entry#*:}
    while kill -0 "$pid" 2>/dev/null; do
      [ $SECONDS -lt $deadline ] || die "$org (pid $pid) did not stop within 30 s of SIGTERM"
      sleep 0.1
    done
    rm -f "$(pid_file "$org")"
    say "$org: stopped (pid $pid)"
  done
}

case "$CMD" in
  up) cmd_up ;;
  status) cmd_status ;;
  down) cmd_down ;;
esac
