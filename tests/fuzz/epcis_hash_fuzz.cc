// Fuzz target: the CBV 2.0 EPCIS event hash (interop/epcis_hash.h), which the EPCIS import and
// gateway run on events other parties' systems send.
// Input: a JSON object (an EPCIS event, "@context" included). Seeds: events of
// tests/unit/interop (shipledger_fuzz_seeds).
// What must hold: no crash or sanitizer report; an event is hashed or refused with
// INVALID_ARGUMENT; the pre-hash does not depend on how the JSON was written (it is the same
// after printing the parsed event again, keys in another order); the canonical forms of times and
// numbers are fixed points.
#include <google/protobuf/util/json_util.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "interop/epcis_hash.h"

namespace {

namespace pb = google::protobuf;
using shipledger::Code;
namespace interop = shipledger::interop;

void Fail(const char* what) {
  std::fprintf(stderr, "epcis_hash_fuzz: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // The canonical forms, on any text.
  if (auto time = interop::CanonicalTime(text)) {
    if (interop::CanonicalTime(*time) != time) Fail("a canonical time is not a fixed point");
  }
  if (auto number = interop::CanonicalNumber(text)) {
    if (interop::CanonicalNumber(*number) != number)
      Fail("a canonical number is not a fixed point");
  }
  (void)interop::CanonicalValue(text);

  pb::Struct event;
  if (!pb::util::JsonStringToMessage(text, &event).ok()) return 0;
  pb::Value context;
  if (auto it = event.fields().find("@context"); it != event.fields().end()) context = it->second;
  const interop::Namespaces ns = interop::NamespacesOf(context);
  auto pre_hash = interop::EventPreHash(event, ns);
  if (!pre_hash.ok()) {
    if (pre_hash.status().code() != Code::kInvalidArgument) Fail("refused with another code");
    return 0;
  }
  if (pre_hash->rfind("eventType=", 0) != 0) Fail("a pre-hash does not start with eventType=");
  std::string printed;
  if (!pb::util::MessageToJsonString(event, &printed).ok()) return 0;
  pb::Struct again;
  if (!pb::util::JsonStringToMessage(printed, &again).ok()) Fail("printed JSON does not parse");
  auto pre_hash_again = interop::EventPreHash(again, ns);
  if (!pre_hash_again.ok() || *pre_hash_again != *pre_hash) {
    std::fprintf(stderr, "pre-hash:       %s\nwritten again:  %s\nas:             %s\n",
                 pre_hash->c_str(), pre_hash_again.ok() ? pre_hash_again->c_str() : "(refused)",
                 printed.c_str());
    Fail("the pre-hash changed when the same event was written again");
  }
  if (interop::HashIdOfPreHash(*pre_hash).size() != 14 + 64 + 11) Fail("a hash id's length");
  return 0;
}
