#!/usr/bin/python3
"""A shipledger client in Python, written from docs/formats.md and proto/ alone.

It generates the gRPC stubs from proto/, loads a client identity (cert.pem, key.pem), signs a
booking and a pickup as docs/formats.md "Events" says, submits them over mutual TLS and waits for
their receipts, checks that the node names each event by the id computed here, reads the
shipment, and follows Watch until it has seen both events.

Needs Debian's python3-grpcio, python3-protobuf and python3-cryptography, and protoc with
grpc_python_plugin (protobuf-compiler, protobuf-compiler-grpc). Run it with /usr/bin/python3.

    /usr/bin/python3 examples/python/shipledger_client.py \\
        --node 127.0.0.1:7050 --identity net/exporter/clients/admin \\
        --ca net/exporter/ca/cert.pem --shipment PY-1

Exit 0 when everything above held; 1 with the reason otherwise.
"""

import argparse
import hashlib
import os
import secrets
import subprocess
import sys
import tempfile
import time

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.x509.oid import NameOID

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# docs/formats.md, "Domain tags" and "Events".
EVENT_DOMAIN = b"shipledger/event/v1"
EVENT_ID_DOMAIN = b"shipledger/event-id/v1"
# The order of P-256: signatures must have s <= n/2 ("low S").
P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def generate_stubs(out_dir):
    """Python modules for proto/shipledger/v1/{types,ledger}.proto, importable from out_dir."""
    proto_dir = os.path.join(REPO, "proto")
    files = [os.path.join(proto_dir, "shipledger", "v1", n) for n in ("types.proto", "ledger.proto")]
    subprocess.run(
        ["protoc", "-I" + proto_dir, "--python_out=" + out_dir, "--grpc_python_out=" + out_dir,
         "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin"] + files,
        check=True)
    sys.path.insert(0, out_dir)


class Identity:
    """A client identity folder as `shipledger network init` / `identity issue` write it."""

    def __init__(self, folder):
        with open(os.path.join(folder, "cert.pem"), "rb") as f:
            self.cert_pem = f.read()
        with open(os.path.join(folder, "key.pem"), "rb") as f:
            self.key_pem = f.read()
        cert = x509.load_pem_x509_certificate(self.cert_pem)
        self.cert_der = cert.public_bytes(serialization.Encoding.DER)
        self.org = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
        self.key = serialization.load_pem_private_key(self.key_pem, password=None)

    def sign(self, message):
        """ECDSA P-256 over SHA-256 of `message`, strict DER, low S."""
        r, s = decode_dss_signature(self.key.sign(message, ec.ECDSA(hashes.SHA256())))
        if s > P256_N // 2:
            s = P256_N - s
        return encode_dss_signature(r, s)


def signed_event(pb, identity, event):
    """(SignedEvent, event id) of `event`, signed by `identity` (docs/formats.md, "Events")."""
    event_bytes = event.SerializeToString()  # signed, hashed and stored as exactly these bytes
    signed = pb.SignedEvent(event=event_bytes, signer_cert=identity.cert_der,
                            signature=identity.sign(EVENT_DOMAIN + event_bytes))
    return signed, hashlib.sha256(EVENT_ID_DOMAIN + event_bytes).digest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--node", default="127.0.0.1:7050", help="host:port of the client API")
    parser.add_argument("--identity", required=True, help="client identity folder (cert.pem, key.pem)")
    parser.add_argument("--ca", required=True,
                        help="CA certificate of the node's organisation (NET/ORG/ca/cert.pem)")
    parser.add_argument("--shipment", default="PY-" + secrets.token_hex(4),
                        help="shipment id to book (default: a random one)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds for each call")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as stubs:
        generate_stubs(stubs)
        from shipledger.v1 import ledger_pb2, ledger_pb2_grpc, types_pb2

        identity = Identity(args.identity)
        with open(args.ca, "rb") as f:
            credentials = grpc.ssl_channel_credentials(
                root_certificates=f.read(), private_key=identity.key_pem,
                certificate_chain=identity.cert_pem)
        with grpc.secure_channel(args.node, credentials) as channel:
            ledger = ledger_pb2_grpc.LedgerServiceStub(channel)
            chain = ledger.GetChainInfo(ledger_pb2.GetChainInfoRequest(), timeout=args.timeout)
            print(f"chain {chain.chain_id} at height {chain.height}")

            events, ids = [], []
            for kind, location in ((types_pb2.EVENT_TYPE_BOOKED, "CNSHA"),
                                   (types_pb2.EVENT_TYPE_PICKUP, "CNSHA")):
                event = types_pb2.Event(
                    chain_id=chain.chain_id, shipment_id=args.shipment, type=kind,
                    signer_org=identity.org, occurred_at_ms=int(time.time() * 1000),
                    location=location, nonce=secrets.token_bytes(16))
                signed, event_id = signed_event(types_pb2, identity, event)
                events.append(signed)
                ids.append(event_id)

            response = ledger.SubmitEvents(
                ledger_pb2.SubmitEventsRequest(events=events, wait_for_commit=True),
                timeout=args.timeout)
            for result, event_id in zip(response.results, ids):
                if result.code != 0:
                    sys.exit(f"event refused: code {result.code}: {result.message}")
                if result.event_id != event_id:
                    sys.exit(f"the node names the event {result.event_id.hex()}, "
                             f"but docs/formats.md gives {event_id.hex()}")
                receipt = result.receipt
                code = types_pb2.ResultCode.Name(receipt.code)
                print(f"event {event_id.hex()} {code} at height {receipt.height}"
                      + (f": {receipt.reason}" if receipt.reason else ""))
                if receipt.code != types_pb2.RESULT_CODE_VALID:
                    sys.exit("expected VALID")

            shipment = ledger.GetShipment(ledger_pb2.GetShipmentRequest(shipment_id=args.shipment),
                                          timeout=args.timeout)
            status = types_pb2.ShipmentStatus.Name(shipment.state.status)
            print(f"shipment {args.shipment}: {status}, custodian {shipment.state.custodian}, "
                  f"{len(shipment.timeline)} events")
            if len(shipment.timeline) != 2:
                sys.exit("expected the two events in the timeline")

            seen = 0
            stream = ledger.Watch(ledger_pb2.WatchRequest(from_height=1, shipment_id=args.shipment),
                                  timeout=args.timeout)
            for update in stream:
                entry = update.entry
                print(f"watch: height {update.height} "
                      f"{types_pb2.EventType.Name(entry.event.type)} "
                      f"{types_pb2.ResultCode.Name(entry.receipt.code)}")
                seen += 1
                if seen == len(ids):
                    stream.cancel()
                    break
            if seen != len(ids):
                sys.exit(f"watch ended after {seen} events")
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except grpc.RpcError as error:
        sys.exit(f"{error.code().name}: {error.details()}")
