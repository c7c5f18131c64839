// Stateless checks of the contract rules v2 payloads of an Event (types.proto fields 15-20:
// booking, readings, offer, reassignment, return_request, error_declaration): which event type
// may carry which payload, and each payload's structure. contracts/ (routing, cold_chain,
// returns, contract_v2) assume these held before ordering. Internal to model/:
// EventValidator::CheckFields calls CheckPayloads.
// Thread-safety: free functions without state.
#pragma once

#include <string_view>

#include "model/genesis.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::model {

// UN/LOCODE: two-letter country code and three letters or digits 2-9, e.g. "DEHAM", "CNSHA".
bool IsUnLocode(std::string_view s);

// INVALID_ARGUMENT, naming the offending field, when a payload is on an event type that may not
// carry it, a carrier_offer / leg_reassignment / error_declaration event lacks its payload, or a
// payload breaks its structural rules (docs/architecture.md, "Payload checks"); OK otherwise.
// An event of rules v1 carries none of these payloads and passes unchanged.
Status CheckPayloads(const v1::Event& event, const Genesis& genesis);

}  // namespace shipledger::model
