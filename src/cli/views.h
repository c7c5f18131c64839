// How the CLI shows ledger objects that several commands print: receipts, timeline entries
// (shipment show, watch) and signers. Text for people, JSON (hex bytes) for programs.
// Thread-safety: free functions.
#pragma once

#include <string>
#include <vector>

#include "cli/json.h"
#include "cli/output.h"
#include "shipledger/v1/ledger.pb.h"

namespace shipledger::cli {

// {"code": "VALID", "reason": ..., "height": H, "index": I}
JsonObject ReceiptJson(const v1::Receipt& receipt);

// One line of a timeline: block time, type, signing organisation (+ co-signers), location,
// references, receipt.
std::vector<std::string> TimelineRow(const v1::TimelineEntry& entry);
std::vector<std::string> TimelineHeader();

// A timeline entry as JSON: event_id, height, index, block_time, shipment_id, type,
// signer_org, cosigner_orgs, location, references, details, receipt, and the whole event.
JsonObject TimelineEntryJson(const v1::TimelineEntry& entry);

// "org (CN name)" of a DER certificate, or "(unreadable certificate)".
std::string CertificateSubject(const std::string& cert_der);

}  // namespace shipledger::cli
