// Fuzz target: the files `proof verify` and `disclosure verify` read from anyone. Byte 0 picks
// the decoder (even: v1::EventProof through model::VerifyEventProof; odd: v1::Disclosure
// through model::VerifyDisclosure); the rest is the file, checked against the fuzz network's
// genesis alone. Seeds: a proof of a validly certified block's event, and a disclosure wrapping
// it (shipledger_fuzz_seeds).
// What must hold: no crash or sanitizer report; a proof that verifies is of an event whose id
// and height are those its receipt names.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz/fuzz_network.h"
#include "model/disclosure.h"
#include "model/proof.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace model = shipledger::model;
  namespace v1 = shipledger::v1;
  static const shipledger::fuzz::FuzzNetwork& network = shipledger::fuzz::Network();
  if (size < 1) return 0;
  const auto* body = data + 1;
  const int body_size = static_cast<int>(size - 1);
  if (data[0] % 2 == 0) {
    v1::EventProof proof;
    if (!proof.ParseFromArray(body, body_size)) return 0;
    auto verdict = model::VerifyEventProof(network.genesis, proof);
    if (verdict.ok() && (verdict->event_id != proof.receipt().event_id() ||
                         verdict->height != proof.receipt().height())) {
      std::fprintf(stderr, "a verified proof's receipt is of another event or height\n");
      std::abort();
    }
    return 0;
  }
  v1::Disclosure disclosure;
  if (!disclosure.ParseFromArray(body, body_size)) return 0;
  (void)model::VerifyDisclosure(network.genesis, disclosure);
  return 0;
}
