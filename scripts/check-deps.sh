#!/usr/bin/env bash
# The module table of DESIGN §2, checked: every `#include "<module>/…"` in src/<module>/ must
# name the module itself or one it may depend on (directly or through the modules it may depend
# on). `"shipledger/v1/…"` is the generated protos (proto), any other `"shipledger/…"` is common's
# public headers (include/shipledger). consensus/ also includes no threads, clocks, randomness,
# sockets, gRPC or RocksDB. A folder of src/ missing from the table is an error too.
# Change this table and DESIGN §2 together, in one commit, when a new dependency is truly needed.
#
# Usage: scripts/check-deps.sh [SRC_DIR]   (default: src/ of this repository)
#        scripts/check-deps.sh --self-test (checks that the check finds what it must)
# Exit 0 when every include is allowed; 1 after printing each forbidden one as
# FILE:LINE: forbidden edge MODULE -> TARGET: THE INCLUDE LINE
set -euo pipefail

# DESIGN §2, "may depend on". node may depend on all but cli; cli on all but node, consensus,
# net and rpc (rpc/ holds only the server side: clients use the generated stubs, proto).
# interop (GS1 EPCIS 2.0 / CBV 2.0 and DCSA formats, issue 22) is pure data conversion beside
# model; DESIGN §2 has no row for it yet (the issue note says so). gateway
# (shipledger-gateway, issue 22) is a client of a node like cli, and serves HTTP with rpc's
# HttpServer (rpc/http_server.h, its only use of rpc); no row in DESIGN §2 yet either.
declare -A DEPS=(
  [common]=""
  [crypto]="common"
  [model]="common crypto proto"
  [interop]="common crypto model contracts proto"
  [config]="common crypto model"
  [consensus]="common crypto model"
  [contracts]="common crypto model"
  [storage]="common model"
  [net]="common crypto model"
  [rpc]="common crypto model contracts interop storage"
  [node]="common crypto model config consensus contracts storage net rpc"
  [cli]="common crypto model interop config contracts storage"
  [gateway]="common crypto model interop config cli rpc"
  [proto]=""
)
# contracts may use crypto for hashing only.
CONTRACTS_CRYPTO_ONLY="crypto/sha256.h"
# What consensus/ (a pure state machine: time arrives as ticks, I/O leaves as actions) never
# includes.
CONSENSUS_FORBIDDEN='<thread>|<random>|<chrono>|<ctime>|<future>|<condition_variable>|<sys/socket.h>|<netinet/|<boost/|<grpc|<grpcpp/|<rocksdb/|<spdlog/|"shipledger/clock.h"'

# Every module `module` may include: itself and the closure of DEPS.
closure() {
  local -A seen=()
  local todo=("$1") m d
  while [ ${#todo[@]} -gt 0 ]; do
    m=${todo[0]}
    todo=("${todo[@]:1}")
    [ -n "${seen[$m]:-}" ] && continue
    seen[$m]=1
    for d in ${DEPS[$m]:-}; do todo+=("$d"); done
  done
  echo "${!seen[@]}"
}

check() {
  local src=$1 failed=0 dir module allowed file line text target
  for dir in "$src"/*/; do
    module=$(basename "$dir")
    if [ -z "${DEPS[$module]+x}" ]; then
      echo "$dir: module '$module' is not in the table of DESIGN §2 (scripts/check-deps.sh)"
      failed=1
      continue
    fi
    allowed=" $(closure "$module") "
    while IFS=: read -r file line text; do
      [ -n "$file" ] || continue
      target=${text#*\"}
      target=${target%%/*}
      if [ "$target" = shipledger ]; then
        case "$text" in
          *'"shipledger/v1/'*) target=proto ;;
          *) target=common ;;
        esac
      elif [ -z "${DEPS[$target]+x}" ]; then
        continue  # not a module of ours
      fi
      if [[ "$allowed" != *" $target "* ]]; then
        echo "$file:$line: forbidden edge $module -> $target: $text"
        failed=1
      elif [ "$module" = contracts ] && [ "$target" = crypto ] &&
        [[ "$text" != *"\"$CONTRACTS_CRYPTO_ONLY\""* ]]; then
        echo "$file:$line: forbidden edge $module -> $target (hashing only: $CONTRACTS_CRYPTO_ONLY): $text"
        failed=1
      fi
    done < <(grep -rnE --include='*.h' --include='*.cc' '^[[:space:]]*#[[:space:]]*include[[:space:]]+"[^"/]+/' "$dir" || true)
    if [ "$module" = consensus ]; then
      while IFS=: read -r file line text; do
        [ -n "$file" ] || continue
        echo "$file:$line: consensus/ includes no threads, clocks, randomness, sockets, gRPC or RocksDB: $text"
        failed=1
      done < <(grep -rnE --include='*.h' --include='*.cc' \
        "^[[:space:]]*#[[:space:]]*include[[:space:]]*($CONSENSUS_FORBIDDEN)" "$dir" || true)
    fi
  done
  return $failed
}

self_test() {
  local tmp out ok=1
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  mkdir -p "$tmp"/{contracts,consensus,cli,model,extra}
  printf '#include "model/event.h"\n#include "crypto/sha256.h"\n#include "rpc/server.h"\n#include "crypto/x509.h"\n' >"$tmp/contracts/a.cc"
  printf '#include <vector>\n#include <thread>\n#include "shipledger/clock.h"\n' >"$tmp/consensus/b.h"
  printf '#include "shipledger/v1/types.pb.h"\n#include "storage/store.h"\n#include "net/tls.h"\n' >"$tmp/cli/c.cc"
  printf '  #  include "config/genesis_file.h"\n#include "yaml-cpp/yaml.h"\n#include "shipledger/v1/types.pb.h"\n' >"$tmp/model/d.cc"
  printf 'int x;\n' >"$tmp/extra/e.cc"
  if out=$(check "$tmp"); then
    echo "check-deps self-test: a tree full of forbidden edges passed" >&2
    return 1
  fi
  local want=(
    "contracts/a.cc:3: forbidden edge contracts -> rpc"
    "contracts/a.cc:4: forbidden edge contracts -> crypto (hashing only"
    "consensus/b.h:2: consensus/ includes no threads"
    "consensus/b.h:3: consensus/ includes no threads"
    "cli/c.cc:3: forbidden edge cli -> net"
    "model/d.cc:1: forbidden edge model -> config"
    "module 'extra' is not in the table"
  )
  local unwanted=("contracts/a.cc:1:" "contracts/a.cc:2:" "consensus/b.h:1:" "cli/c.cc:1:"
    "cli/c.cc:2:" "model/d.cc:2:" "model/d.cc:3:")
  local w
  for w in "${want[@]}"; do
    if [[ "$out" != *"$w"* ]]; then
      echo "check-deps self-test: missing '$w'" >&2
      ok=0
    fi
  done
  for w in "${unwanted[@]}"; do
    if [[ "$out" == *"$w"* ]]; then
      echo "check-deps self-test: an allowed include was reported: '$w'" >&2
      ok=0
    fi
  done
  [ $ok = 1 ] || { echo "$out" >&2; return 1; }
  echo "check-deps self-test: every forbidden edge found, no allowed one reported"
}

if [ "${1:-}" = "--self-test" ]; then
  self_test
  exit $?
fi
SRC=${1:-"$(cd "$(dirname "$0")/.." && pwd)/src"}
if check "$SRC"; then
  echo "check-deps: every include in $SRC follows DESIGN §2"
else
  echo "check-deps: forbidden includes above (DESIGN §2; scripts/check-deps.sh holds the table)" >&2
  exit 1
fi
