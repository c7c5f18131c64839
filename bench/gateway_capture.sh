#!/usr/bin/env bash
# The gateway's capture benchmark (issue 22; docs/performance.md): a fresh 4-node network
# (scripts/devnet.sh) with shipledger-gateway beside the exporter's node; for each of RUNS
# shipments, a 1,000-event EPCISDocument (temperature reports of the shipment's container, as a
# reefer's logger uploads them) is POSTed to /capture, and the time from the request to the
# job's end (every event committed VALID by the 4 replicas and queryable at the gateway) is
# measured. Then the same document is captured again (idempotent: every event is already on the
# chain), and a query of the shipment's 100 latest events is timed over HTTP.
#
# Usage: bench/gateway_capture.sh [RUNS]     (default 3)
# Environment: BUILD_DIR (default build-release; scripts/build.sh makes it), EVENTS (1000).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
EVENTS=${EVENTS:-1000}
BUILD_DIR=${BUILD_DIR:-build-release}
BIN="$PWD/$BUILD_DIR/src"
SL="$BIN/cli/shipledger"
GW="$BIN/gateway/shipledger-gateway"
[ -x "$SL" ] && [ -x "$GW" ] || { echo "bench: build $BUILD_DIR first (scripts/build.sh)" >&2; exit 1; }
# shellcheck source=bench/common.sh
source bench/common.sh
WORK=$(mktemp -d /tmp/shipledger-gwbench.XXXXXX)
GW_PID=""
cleanup() {
  [ -n "$GW_PID" ] && kill -TERM "$GW_PID" 2>/dev/null && wait "$GW_PID" 2>/dev/null
  BUILD_DIR=$BUILD_DIR scripts/devnet.sh down --dir "$WORK/net" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

BASE=$(free_base $((21000 + RANDOM % 20000)))
BUILD_DIR=$BUILD_DIR scripts/devnet.sh up --dir "$WORK/net" --base-port "$BASE" --no-build >/dev/null
NODE="127.0.0.1:$BASE"
ID="$WORK/net/exporter/clients/admin"
TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "bench $TOKEN" >"$WORK/tokens"
GW_PORT=$((BASE + 20))
"$GW" --identity "$ID" --node "$NODE" --data-dir "$WORK/gw" --token-file "$WORK/tokens" \
  --listen "127.0.0.1:$GW_PORT" --log-level warn >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
for r in $(seq "$RUNS"); do
  "$SL" --node "$NODE" --identity "$ID" event submit --shipment "GWB-$r" --type booked \
    --ref "container=GWBU$(printf '%07d' "$r")" --wait >/dev/null
  "$SL" --node "$NODE" --identity "$ID" event submit --shipment "GWB-$r" --type pickup --wait >/dev/null
done
echo "bench: $(date -u +%FT%TZ) commit $(git rev-parse --short HEAD), $(nproc) cores, $BUILD_DIR," \
  "4 replicas on loopback, $EVENTS events per document"
/usr/bin/python3 - "$GW_PORT" "$TOKEN" "$RUNS" "$EVENTS" <<'PY'
import datetime, http.client, json, statistics, sys, time
port, token, runs, events = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

def request(method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, dict(r.getheaders()), data

def document(container):
    now = datetime.datetime.now(datetime.timezone.utc)
    evs = []
    for i in range(events):
        t = (now - datetime.timedelta(seconds=events - i)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        evs.append({"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "sensor_reporting",
                    "eventTime": t, "eventTimeZoneOffset": "+00:00",
                    "epcList": ["urn:epc:id:bic:" + container],
                    "sensorElementList": [{"sensorMetadata": {"time": t},
                        "sensorReport": [{"type": "Temperature", "value": 4 + (i % 10) / 10,
                                          "uom": "CEL"}]}]})
    return json.dumps({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
                       "type": "EPCISDocument", "schemaVersion": "2.0",
                       "creationDate": now.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                       "epcisBody": {"eventList": evs}})

def capture(body):
    start = time.monotonic()
    status, headers, _ = request("POST", "/capture", body)
    assert status == 202, status
    accepted = time.monotonic() - start
    while True:
        status, _, job = request("GET", headers["Location"])
        job = json.loads(job)
        if not job["running"]:
            break
        time.sleep(0.05)
    took = time.monotonic() - start
    valid = sum(1 for e in job.get("events", []) if e["result"] == "VALID")
    assert job["success"] and valid == events, (job["success"], valid, job["errors"][:3])
    return accepted, took

firsts, agains = [], []
for r in range(1, runs + 1):
    container = "GWBU%07d" % r
    body = document(container)
    accepted, took = capture(body)
    firsts.append(took)
    print("RESULT capture run=%d events=%d bytes=%d accepted_ms=%.1f done_s=%.2f events_per_s=%.0f"
          % (r, events, len(body), accepted * 1000, took, events / took))
    _, again = capture(body)
    agains.append(again)
    print("RESULT recapture run=%d events=%d done_s=%.2f (all already on the chain)" % (r, events, again))
q = "/events?MATCH_epc=urn:epc:id:bic:GWBU%07d&perPage=100" % runs
lat = []
for _ in range(50):
    start = time.monotonic()
    status, _, data = request("GET", q)
    lat.append(time.monotonic() - start)
    assert status == 200 and len(json.loads(data)["epcisBody"]["queryResults"]["resultsBody"]["eventList"]) == 100
print("RESULT capture_median_s=%.2f events_per_s=%.0f recapture_median_s=%.2f query100_http_median_ms=%.1f"
      % (statistics.median(firsts), events / statistics.median(firsts), statistics.median(agains),
         statistics.median(lat) * 1000))
PY
