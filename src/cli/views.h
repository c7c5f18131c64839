// How the CLI shows ledger objects that several commands print: receipts, timeline entries
// (shipment show, watch), signers, and a node's status. Text for people, JSON (hex bytes) for
// programs.
// Thread-safety: free functions.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli/json.h"
#include "cli/output.h"
#include "shipledger/v1/ledger.pb.h"

namespace shipledger::cli {

// {"code": "VALID", "reason": ..., "height": H, "index": I}
JsonObject ReceiptJson(const v1::Receipt& receipt);

// One line of a timeline: block time, height, type, signing organisation (+ co-signers),
// location, references, documents (KIND=sha256:<12 hex>), receipt.
std::vector<std::string> TimelineRow(const v1::TimelineEntry& entry);
std::vector<std::string> TimelineHeader();

// A timeline entry as JSON: event_id, height, index, block_time, shipment_id, type,
// signer_org, cosigner_orgs, location, references, details, receipt, and the whole event.
JsonObject TimelineEntryJson(const v1::TimelineEntry& entry);

// `shipledger status --json`: every NodeStatus field under its .proto name (head_hash in hex),
// `peers` as an array of objects {replica, organisation, connected (a link is up),
// connected_out, connected_in, height, view, last_heard_ms_ago (-1: never), frames_dropped,
// protocol_errors, bad_messages, frames_over_share, heartbeats_coalesced, resends_suppressed};
// `node` is the address asked.
JsonObject NodeStatusJson(const std::string& node, const v1::NodeStatus& status);

// `shipledger status`: aligned fields (view, primary, height and lag, stable checkpoint, view
// change, divergence, mempool, ...), then one table row per peer.
void PrintNodeStatus(std::ostream& out, const std::string& node, const v1::NodeStatus& status);

// "org (CN name)" of a DER certificate, or "(unreadable certificate)".
std::string CertificateSubject(const std::string& cert_der);

}  // namespace shipledger::cli
