# Shell helpers of the bench scripts (bench/run.sh, bench/attack.sh); source it.

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# The first base port from $1 with 8 free ports (a 4-node network: gRPC and peer port each).
free_base() {
  local base=$1 p ok
  while :; do
    ok=1
    for p in $(seq "$base" $((base + 7))); do port_free "$p" || { ok=0; break; }; done
    [ $ok = 1 ] && { echo "$base"; return; }
    base=$((base + 8))
  done
}
# Field $1 of the last `RESULT ...` line of shipledger-loadgen's output on stdin.
result_field() { sed -n "s/^RESULT .*$1=\([0-9.]*\).*/\1/p" | tail -n 1; }
