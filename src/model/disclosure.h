// Selective disclosure of private fields (issue 6, DESIGN §4, §5): a reader hands a third party
// some fields of one event with their salts, plus the event's proof; the third party checks the
// proof against the genesis and each field against the commitment the signer signed.
// Thread-safety: free functions over values.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/genesis.h"
#include "model/private_fields.h"
#include "model/proof.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::model {

// A disclosure of the fields `names` (each once, at least one) of the proof's event, taken from
// `opened` (what Open gave the reader). NOT_FOUND naming a field the event does not have;
// INVALID_ARGUMENT for a repeated name or a field that did not open cleanly (a commitment
// mismatch is never disclosed as if it were sound).
Result<v1::Disclosure> MakeDisclosure(v1::EventProof proof, const std::vector<OpenedField>& opened,
                                      const std::vector<std::string>& names);

struct DisclosureVerdict {
  EventProofVerdict proof;
  std::vector<std::pair<std::string, std::string>> fields;  // name, value; in disclosure order
};

// Checks the proof (VerifyEventProof) and that every disclosed (name, value, salt) matches the
// commitment of that field in the signed event. INVALID_ARGUMENT saying what did not match: the
// proof's problem, "disclosed field 'X' ...", no fields, a field disclosed twice.
Result<DisclosureVerdict> VerifyDisclosure(std::shared_ptr<const Genesis> genesis,
                                           const v1::Disclosure& disclosure);

}  // namespace shipledger::model
