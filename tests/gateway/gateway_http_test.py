#!/usr/bin/env python3
"""shipledger-gateway's EPCIS 2.0 REST interface, driven with Python's http.client only (as an
integrator's client would be, from docs/gateway.md): capture with rollback and proceed, the
capture job, idempotent re-capture, one event by POST /events, the query with its parameters
and paging, one event by its eventID, and the errors in the problem format.

Usage: gateway_http_test.py --url http://127.0.0.1:PORT --token TOKEN
(gateway_test.sh starts the network and the gateway; the shipment GW-1 is booked with container
CSQU3054383 and picked up.)"""
import argparse
import base64
import datetime
import hashlib
import hmac
import http.client
import http.server
import json
import os
import sys
import threading
import time
import urllib.parse

CONTAINER = "urn:epc:id:bic:CSQU3054383"


def iso(minutes_ago):
    t = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=minutes_ago)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def document(events):
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                     {"wms": "https://wms.example.com/ns/"}],
        "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": iso(0),
        "epcisBody": {"eventList": events},
    }


# Written from the standard's examples (EPCIS 2.0 §9, CBV 2.0 bizSteps): a loading of the
# container at a GLN read point, a temperature report, and an AggregationEvent (packing), which
# shipledger has no event type for.
LOADING = {"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "loading",
           "disposition": "in_transit", "eventTime": iso(9), "eventTimeZoneOffset": "+01:00",
           "epcList": [CONTAINER], "readPoint": {"id": "https://id.gs1.org/414/4012345000009"}}
READING = {"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "sensor_reporting",
           "eventTime": iso(8), "eventTimeZoneOffset": "+00:00", "epcList": [CONTAINER],
           "sensorElementList": [{"sensorMetadata": {"time": iso(8),
                                                     "deviceID": "urn:epc:id:giai:4012345.T17"},
                                  "sensorReport": [{"type": "Temperature", "value": 4.5,
                                                    "uom": "CEL"}]}]}
PACKING = {"type": "AggregationEvent", "action": "ADD", "bizStep": "packing",
           "eventTime": iso(7), "eventTimeZoneOffset": "+00:00",
           "parentID": "urn:epc:id:sscc:4012345.0000000017",
           "childEPCs": ["urn:epc:id:sgtin:4012345.011111.1"]}


class Gateway:
    def __init__(self, url, token):
        parsed = urllib.parse.urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.token = token

    def request(self, method, path, body=None, headers=None, token=True):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=90)
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + self.token
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            h.setdefault("Content-Type", "application/ld+json")
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        doc = json.loads(data) if data else None
        return r.status, {k.lower(): v for k, v in r.getheaders()}, doc


failures = []


def dump(name, data):
    """With GATEWAY_DUMP=DIR, keeps a document for scripts/validate-interop.sh (schema checks)."""
    folder = os.environ.get("GATEWAY_DUMP")
    if folder:
        with open(os.path.join(folder, name), "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data if isinstance(data, bytes) else json.dumps(data))


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)
    return cond


def problem(status, headers, doc, want_status, want_type):
    check(status == want_status, "status %s, want %s: %s" % (status, want_status, doc))
    check(headers.get("content-type", "").startswith("application/problem+json"),
          "error %s is not application/problem+json" % want_status)
    check(doc is not None and doc.get("type") == want_type and doc.get("status") == want_status,
          "problem %s, want type %s" % (doc, want_type))


def wait_job(gw, location):
    for _ in range(600):
        status, _, job = gw.request("GET", location)
        check(status == 200, "GET %s: %s" % (location, status))
        if status != 200 or not job["running"]:
            return job
        time.sleep(0.1)
    check(False, "capture job %s still running after 60 s" % location)
    return job


def events_of(doc):
    check(doc.get("type") == "EPCISQueryDocument", "not an EPCISQueryDocument: %s" % doc)
    return doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"]


class Callbacks(http.server.BaseHTTPRequestHandler):
    """A subscriber's loopback listener: records every notification; answers 500 to the first
    (so the gateway must retry), 204 to the others."""
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Callbacks.received.append((self.path, dict(self.headers), body))
        self.send_response(500 if len(Callbacks.received) == 1 else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def dcsa_error(status, headers, doc, want_status):
    check(status == want_status, "DCSA status %s, want %s: %s" % (status, want_status, doc))
    check(headers.get("content-type", "").startswith("application/json"), "DCSA error type")
    check(doc is not None and doc.get("statusCode") == str(want_status) and doc.get("errors")
          and doc.get("httpMethod") and doc.get("requestUri") and doc.get("errorDateTime"),
          "not a DCSA Error: %s" % doc)


def dcsa(gw, loading_id):
    """DCSA T&T 2.2: GET /v2/events and a subscription whose signed callback reaches a loopback
    listener, retried after the listener's first failure."""
    listener = http.server.HTTPServer(("127.0.0.1", 0), Callbacks)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    secret = os.urandom(32)
    body = {"callbackUrl": "http://127.0.0.1:%d/dcsa/callback?party=test" % listener.server_port,
            "secret": base64.b64encode(secret).decode(), "UNLocationCode": "DEHAM",
            "transportEventTypeCode": ["DEPA"]}

    # Subscriptions: made, read back without the secret, listed, changed.
    status, headers, sub = gw.request("POST", "/v2/event-subscriptions", body,
                                      {"Content-Type": "application/json"})
    check(status == 201, "subscribe: %s %s" % (status, sub))
    check(headers.get("api-version") == "2.2.0", "API-Version: %r" % headers.get("api-version"))
    sub_id = sub["subscriptionID"]
    check("secret" not in sub, "the secret was echoed")
    check(headers.get("location") == "/v2/event-subscriptions/" + sub_id, "subscription Location")
    status, _, got = gw.request("GET", "/v2/event-subscriptions/" + sub_id)
    check(status == 200 and got == sub, "GET subscription: %s %s" % (status, got))
    status, _, listed = gw.request("GET", "/v2/event-subscriptions")
    check(status == 200 and sub in listed, "list subscriptions: %s" % listed)
    changed = {k: v for k, v in body.items() if k != "secret"}
    changed["eventType"] = "TRANSPORT"
    status, _, got = gw.request("PUT", "/v2/event-subscriptions/" + sub_id, changed)
    check(status == 200 and got.get("eventType") == "TRANSPORT", "PUT subscription: %s" % got)
    status, headers, doc = gw.request("PUT", "/v2/event-subscriptions/" + sub_id,
                                      dict(changed, secret=body["secret"]))
    dcsa_error(status, headers, doc, 400)
    for bad in ({"callbackUrl": "ftp://x/"}, {"secret": body["secret"]},
                dict(body, secret="c2hvcnQ="), dict(body, equipmentEventTypeCode=["FLY"])):
        status, headers, doc = gw.request("POST", "/v2/event-subscriptions", bad)
        dcsa_error(status, headers, doc, 400)
    status, headers, doc = gw.request("GET", "/v2/event-subscriptions/" + "0" * 8)
    dcsa_error(status, headers, doc, 404)

    # The container departs Hamburg: its DCSA DEPA event (mode of transport from the booked sea
    # leg) is notified, signed, and retried after the listener's first 500.
    departing = {"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "departing",
                 "disposition": "in_transit", "eventTime": iso(3), "eventTimeZoneOffset": "+00:00",
                 "epcList": [CONTAINER],
                 "readPoint": {"id": "https://ns.shipledger.org/epcis/unlocode/DEHAM"}}
    status, headers, job = gw.request("POST", "/events", departing)
    check(status == 201, "POST /events (departing): %s %s" % (status, job))
    deadline = time.time() + 30
    while len(Callbacks.received) < 2 and time.time() < deadline:
        time.sleep(0.1)
    check(len(Callbacks.received) >= 2, "notifications: %d" % len(Callbacks.received))
    if len(Callbacks.received) >= 2:
        (path1, headers1, body1), (path2, headers2, body2) = Callbacks.received[:2]
        check(path1 == "/dcsa/callback?party=test", "callback path %s" % path1)
        check(json.loads(body1) == json.loads(body2), "the retry carried other events")
        for h, b in ((headers1, body1), (headers2, body2)):
            want = "sha256=" + hmac.new(secret, b, hashlib.sha256).hexdigest()
            check(h.get("Notification-Signature") == want,
                  "signature %r, want %r" % (h.get("Notification-Signature"), want))
        dump("dcsa-notification.json", body1)
        events = json.loads(body1)
        check(len(events) == 1 and events[0]["transportEventTypeCode"] == "DEPA" and
              events[0]["transportCall"]["modeOfTransport"] == "VESSEL" and
              events[0]["transportCall"]["UNLocationCode"] == "DEHAM" and
              events[0]["eventDateTime"] == departing["eventTime"],
              "notified %s" % events)
    time.sleep(1.5)
    check(len(Callbacks.received) == 2, "delivered again after success: %d" % len(Callbacks.received))

    # GET /v2/events: by container and code, and every event with cursor paging by Next-Page.
    status, headers, loads = gw.request(
        "GET", "/v2/events?equipmentReference=CSQU3054383&equipmentEventTypeCode=LOAD")
    check(status == 200 and len(loads) == 1, "GET /v2/events (LOAD): %s %s" % (status, loads))
    check(headers.get("api-version") == "2.2.0", "GET /v2/events API-Version")
    status, _, events = gw.request("GET", "/v2/events")
    dump("dcsa-events.json", events)
    check(status == 200 and len(events) >= 4, "GET /v2/events: %s %s" % (status, events))
    walked, path = [], "/v2/events?limit=1"
    for _ in range(10):
        status, headers, page = gw.request("GET", path)
        check(status == 200 and len(page) <= 1, "page %s: %s" % (path, page))
        walked += page
        path = headers.get("next-page")
        if not path:
            break
    check([e["eventID"] for e in walked] == [e["eventID"] for e in events], "DCSA paging")
    status, _, booked = gw.request("GET", "/v2/events?carrierBookingReference=BKG-GW1")
    check(status == 200 and [e.get("documentTypeCode") for e in booked] == ["BKG"],
          "the booking: %s" % booked)
    for bad in ("/v2/events?eventType=PARCEL", "/v2/events?sort=eventID:DESC",
                "/v2/events?eventCreatedDateTime:after=2026-01-01T00:00:00Z", "/v2/events?colour=red"):
        status, headers, doc = gw.request("GET", bad)
        dcsa_error(status, headers, doc, 400)
    status, headers, doc = gw.request("GET", "/v2/events", token=False)
    dcsa_error(status, headers, doc, 401)

    # Deleted, it is gone.
    status, _, _ = gw.request("DELETE", "/v2/event-subscriptions/" + sub_id)
    check(status == 204, "DELETE subscription: %s" % status)
    status, headers, doc = gw.request("GET", "/v2/event-subscriptions/" + sub_id)
    dcsa_error(status, headers, doc, 404)
    listener.shutdown()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", required=True)
    args = ap.parse_args()
    gw = Gateway(args.url, args.token)
    query = "/events?EQ_bizStep=loading&MATCH_epc=" + urllib.parse.quote(CONTAINER, safe="")

    # Health without a token (for monitors), the gateway's status with one.
    status, _, doc = gw.request("GET", "/healthz", token=False)
    check(status == 200 and doc == {"status": "SERVING"}, "healthz: %s %s" % (status, doc))
    status, _, doc = gw.request("GET", "/status")
    check(status == 200 and doc.get("following") is True and doc.get("organization") == "exporter"
          and doc.get("indexedHeight", 0) >= 2, "status: %s %s" % (status, doc))
    status, headers, doc = gw.request("GET", "/status", token=False)
    problem(status, headers, doc, 401, "epcisException:SecurityException")

    # Authentication: no token, a wrong token.
    status, headers, doc = gw.request("POST", "/capture", document([LOADING]), token=False)
    problem(status, headers, doc, 401, "epcisException:SecurityException")
    check("bearer" in headers.get("www-authenticate", "").lower(), "401 without WWW-Authenticate")
    gw_wrong = Gateway(args.url, "x" * 48)
    status, headers, doc = gw_wrong.request("GET", "/events")
    problem(status, headers, doc, 401, "epcisException:SecurityException")

    # Rollback (the default): one event cannot be captured, so none is.
    status, headers, _ = gw.request("POST", "/capture", document([LOADING, READING, PACKING]))
    check(status == 202, "capture: %s" % status)
    location = headers.get("location", "")
    check(location.startswith("/capture/"), "capture Location: %r" % location)
    check(headers.get("gs1-capture-limit") == "50", "GS1-CAPTURE-limit: %r" % headers)
    job = wait_job(gw, location)
    check(job["success"] is False and job["captureErrorBehaviour"] == "rollback", "job %s" % job)
    check(any("event 3" in e["detail"] and "AggregationEvent" in e["detail"] for e in job["errors"]),
          "the job names event 3 and why: %s" % job["errors"])
    check(not job.get("events"), "rollback submitted events: %s" % job.get("events"))
    status, _, doc = gw.request("GET", query)
    check(status == 200 and events_of(doc) == [], "after rollback the query finds %s" % doc)

    # Proceed: the two others are captured, each with its receipt.
    status, headers, _ = gw.request("POST", "/capture", document([LOADING, READING, PACKING]),
                                    {"GS1-Capture-Error-Behaviour": "proceed"})
    check(status == 202, "capture (proceed): %s" % status)
    job = wait_job(gw, headers["location"])
    results = [(e["index"], e["result"]) for e in job.get("events", [])]
    check(results == [(1, "VALID"), (2, "VALID")], "proceed results %s" % results)
    check(len(job["errors"]) == 1, "proceed errors %s" % job["errors"])
    for e in job.get("events", []):
        check(e["shipmentID"] == "GW-1", "found the shipment by its container: %s" % e)
        check(e["eventID"].startswith("ni:///sha-256;") and len(e["ledgerEventID"]) == 64,
              "ids %s" % e)
        check(e.get("receipt", {}).get("code") == "RESULT_CODE_VALID", "receipt %s" % e)
    loading_id = job["events"][0]["eventID"]
    ledger_ids = [e["ledgerEventID"] for e in job["events"]]

    # The query answers with the event, under the event hash ID it was captured with.
    status, headers, doc = gw.request("GET", query)
    check(status == 200, "query: %s %s" % (status, doc))
    check(headers.get("content-type", "").startswith("application/ld+json"), "query content type")
    found = events_of(doc)
    check([e["eventID"] for e in found] == [loading_id], "query found %s" % found)
    check(found and found[0]["readPoint"]["id"] == LOADING["readPoint"]["id"], "readPoint kept")
    check(found and "recordTime" in found[0], "recordTime")

    # The same event by its eventID (percent-encoded as a path segment).
    status, _, doc = gw.request("GET", "/events/" + urllib.parse.quote(loading_id, safe=""))
    check(status == 200 and [e["eventID"] for e in events_of(doc)] == [loading_id],
          "GET /events/{eventID}: %s %s" % (status, doc))

    # Capturing the same document again is idempotent: the same ledger events, nothing new.
    status, headers, _ = gw.request("POST", "/capture", document([LOADING, READING]))
    job = wait_job(gw, headers["location"])
    check(job["success"] is True, "re-capture %s" % job)
    check([e["ledgerEventID"] for e in job.get("events", [])] == ledger_ids,
          "re-capture made other ledger events: %s" % job.get("events"))
    status, _, doc = gw.request("GET", query)
    check(len(events_of(doc)) == 1, "after re-capture the query finds %d" % len(events_of(doc)))

    # POST /events: one event, 201 with its Location.
    second = dict(READING, eventTime=iso(5))
    second["sensorElementList"] = [{"sensorMetadata": {"time": iso(5)},
                                    "sensorReport": [{"type": "Temperature", "value": 5.0,
                                                      "uom": "CEL"}]}]
    status, headers, job = gw.request("POST", "/events", second)
    check(status == 201, "POST /events: %s %s" % (status, job))
    location = headers.get("location", "")
    check(location.startswith("/events/ni%3A%2F%2F%2Fsha-256%3B"), "Location %r" % location)
    status, _, doc = gw.request("GET", location)
    check(status == 200 and len(events_of(doc)) == 1, "GET %s: %s" % (location, status))

    # Paging: perPage=1 walks every event once, in the order of one page of 100.
    status, _, doc = gw.request("GET", "/events?perPage=100")
    dump("epcis-query.json", doc)
    everything = [e["eventID"] for e in events_of(doc)]
    check(len(everything) >= 3, "all events: %s" % everything)
    walked, path = [], "/events?perPage=1"
    for _ in range(100):
        status, headers, doc = gw.request("GET", path)
        check(status == 200, "page %s: %s" % (path, status))
        walked += [e["eventID"] for e in events_of(doc)]
        link = headers.get("link")
        if not link:
            break
        check(link.endswith('>; rel="next"') and "nextPageToken=" in link, "Link %r" % link)
        path = link[1:link.index(">")]
    check(walked == everything, "paged %s, want %s" % (walked, everything))

    # Time window, event type and bizStep: the two readings are on either side of 6 minutes ago.
    readings = "/events?eventType=ObjectEvent&EQ_bizStep=sensor_reporting&"
    status, _, doc = gw.request("GET", readings + "GE_eventTime=" + urllib.parse.quote(iso(6)))
    check([e["eventTime"] for e in events_of(doc)] == [second["eventTime"]],
          "GE_eventTime: %s" % events_of(doc))
    status, _, doc = gw.request("GET", readings + "LT_eventTime=" + urllib.parse.quote(iso(6)))
    check([e["eventTime"] for e in events_of(doc)] == [READING["eventTime"]],
          "LT_eventTime: %s" % events_of(doc))

    # Errors, each in the problem format.
    status, headers, doc = gw.request("GET", "/events?EQ_colour=red")
    problem(status, headers, doc, 400, "epcisException:QueryParameterException")
    status, headers, doc = gw.request("GET", "/events?GE_eventTime=yesterday")
    problem(status, headers, doc, 400, "epcisException:QueryParameterException")
    status, headers, doc = gw.request("GET", "/events/" + urllib.parse.quote(
        "ni:///sha-256;" + "0" * 64 + "?ver=CBV2.0", safe=""))
    problem(status, headers, doc, 404, "epcisException:NoSuchResourceException")
    status, headers, doc = gw.request("GET", "/capture/" + "f" * 32)
    problem(status, headers, doc, 404, "epcisException:NoSuchResourceException")
    status, headers, doc = gw.request("PUT", "/events", {})
    problem(status, headers, doc, 405, "epcisException:ValidationException")
    check(headers.get("allow") == "GET, POST", "Allow: %r" % headers.get("allow"))
    status, headers, doc = gw.request("POST", "/capture", "{not json",
                                      {"Content-Type": "application/json"})
    problem(status, headers, doc, 400, "epcisException:ValidationException")
    status, headers, doc = gw.request("POST", "/capture", document([READING] * 51))
    problem(status, headers, doc, 413, "epcisException:CaptureLimitExceededException")
    check(headers.get("gs1-capture-limit") == "50", "413 without GS1-CAPTURE-limit")

    dcsa(gw, loading_id)

    if failures:
        print("gateway_http_test: %d failure(s)" % len(failures), file=sys.stderr)
        return 1
    print("gateway_http_test: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
