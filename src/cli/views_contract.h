// How the CLI shows what contract rules v2 keep and decide: a shipment's route legs, cold-chain
// figures, return terms and requests, error marks, and the contract outputs of receipts.
// Thread-safety: free functions.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli/json.h"
#include "shipledger/v1/ledger.pb.h"

namespace shipledger::cli {

// "1200.00" (EUR 1200.00 with a currency) from minor units.
std::string FormatPrice(int64_t minor, const std::string& currency = "");

// One line per decision, e.g. "→ leg 2 assigned to carrier-x (offer O, 1200.00)",
// "→ leg 1 open: no carrier offer is registered", "→ return rejected: ...",
// "→ EXCURSION: ...", "→ event 1a2b3c4d… declared erroneous: ...".
std::string ContractOutputText(const v1::ContractOutput& output);

// `watch`: "ALERT excursion SHIPMENT: reason" for an EXCURSION output.
std::string WatchAlertLine(const v1::ContractOutput& alert);

// A receipt's outputs as JSON objects (bytes in hex, kinds without prefix).
google::protobuf::Value ContractOutputsJson(const v1::Receipt& receipt);

// The error mark of `event_id` in `state`, or nullptr.
const v1::ErrorMark* FindErrorMark(const v1::ShipmentState& state, const std::string& event_id);

// "ERRONEOUS: reason; corrected by 1a2b3c4d5e6f7a8b, ..." for an error mark.
std::string ErroneousText(const v1::ErrorMark& mark);

// The lines printed under a timeline row: the erroneous mark of its event, then its receipt's
// contract outputs.
std::vector<std::string> TimelineNotes(const v1::TimelineEntry& entry,
                                       const v1::ShipmentState& state);

// `shipment show`, after the shipment's fields: route legs, cold chain (terms, each custody
// stretch, an EXCURSION line), return terms and requests, error marks. Prints nothing for a
// shipment without rules-v2 terms.
void PrintContractState(std::ostream& out, const v1::ShipmentState& state);

}  // namespace shipledger::cli
