// Fuzz target: SubmitEvents' events through admission. A client's v1::SubmitEventsRequest, as
// the node's gRPC server receives it, has each of its events checked by the EventValidator the
// way admission checks them (LedgerService::SubmitEvents): sizes, event bytes, fields and
// payloads, the signer's and co-signers' certificates and signatures, role, clock.
// Input: a serialized v1::SubmitEventsRequest. Seeds: requests of validly signed events
// (shipledger_fuzz_seeds).
// What must hold: no crash or sanitizer report; an event admitted is one whose id is the
// SHA-256 the protocol defines (checked), and a refusal says why (a non-empty message).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz/fuzz_network.h"
#include "model/event.h"
#include "model/validation.h"
#include "shipledger/v1/ledger.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace model = shipledger::model;
  static const shipledger::fuzz::FuzzNetwork& network = shipledger::fuzz::Network();
  static model::EventValidator* const validator = new model::EventValidator(network.genesis);
  shipledger::v1::SubmitEventsRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return 0;
  model::ValidateOptions options;
  options.cert_time_ms = shipledger::fuzz::kFuzzNowMs;
  options.clock_now_ms = shipledger::fuzz::kFuzzNowMs;
  for (const shipledger::v1::SignedEvent& se : request.events()) {
    auto admitted = validator->Validate(se, options);
    if (admitted.ok()) {
      if ((*admitted)->id != model::EventId(se.event())) {
        std::fprintf(stderr, "admitted event with an id other than its EventId\n");
        std::abort();
      }
    } else if (admitted.status().message().empty()) {
      std::fprintf(stderr, "admission refused an event without saying why\n");
      std::abort();
    }
  }
  return 0;
}
