// What contract rules decide about one event (DESIGN §4): VALID, with the decisions it made, or
// REJECTED, with the reason its receipt records. Reasons are hashed into the receipts root, so a
// reason once recorded under a rules version keeps its words under that version
// (tests/unit/contracts/replay_test.cc).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "shipledger/v1/types.pb.h"

namespace shipledger::contracts {

// Why an event is rejected, in the words of its receipt.
struct Rejection {
  explicit Rejection(std::string why) : reason(std::move(why)) {}
  std::string reason;
};

// A check's answer: nullopt when the event passes it, else why it does not.
using Check = std::optional<Rejection>;

// The decisions a VALID event made (legs assigned, returns judged, excursions, ...).
using Outputs = std::vector<v1::ContractOutput>;

// The verdict on one event that is not a duplicate (those the executor judges itself).
struct Verdict {
  Check rejection;  // nullopt: VALID
  Outputs outputs;  // when VALID
};

}  // namespace shipledger::contracts
