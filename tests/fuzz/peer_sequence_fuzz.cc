// Fuzz target: a sequence of peer messages from several replicas, with time passing between
// them, through the validation gate into one PBFT core (replica kSelf), whose committed blocks
// are reported stored as the node does. Where peer_message_fuzz checks what one message does to
// a fresh core, this reaches the states that only a run of messages builds: a proposal prepared
// and committed, a view change under way, a NEW-VIEW over prepared certificates, a checkpoint
// becoming stable, state transfer after heartbeats.
// Input: records of sender byte ‖ time byte (the clock advances by it × 100 ms, firing the due
// timers, before the message) ‖ u16 big-endian length ‖ serialized v1::PeerMessage; a short
// last record takes what is left. Seeds: validly signed runs (shipledger_fuzz_seeds).
// What must hold: no crash or sanitizer report, and blocks come out in height order (PlayActions).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "consensus/message_gate.h"
#include "fuzz/fuzz_network.h"
#include "model/validation.h"

namespace {

using shipledger::fuzz::kFuzzNowMs;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  shipledger::fuzz::FuzzGate& g = shipledger::fuzz::SharedGate();
  int64_t now_ms = kFuzzNowMs;
  shipledger::fuzz::FreshReplica core(g.network, now_ms);
  uint64_t stored = 0;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (rest.size() >= 4) {
    const auto from =
        shipledger::fuzz::SenderFromByte(static_cast<uint8_t>(rest[0]), g.network.genesis->n());
    const int64_t advance_ms = 100 * static_cast<int64_t>(static_cast<uint8_t>(rest[1]));
    const size_t length =
        (size_t{static_cast<uint8_t>(rest[2])} << 8) | static_cast<uint8_t>(rest[3]);
    rest.remove_prefix(4);
    const std::string_view frame = rest.substr(0, length);
    rest.remove_prefix(frame.size());
    if (advance_ms > 0) {
      now_ms += advance_ms;
      shipledger::fuzz::PlayActions(*core.replica, core.replica->OnTick(now_ms), now_ms, &stored);
    }
    auto admitted = g.gate.Admit(from, frame, now_ms);
    if (!admitted.ok() || admitted->message.has_fetch_blocks()) continue;
    shipledger::fuzz::PlayActions(*core.replica, core.replica->OnPeerMessage(*admitted, now_ms),
                                  now_ms, &stored);
  }
  return 0;
}
