// Fuzz target: state transfer. A state-transfer answer (v1::Blocks: certified blocks and a
// stable checkpoint certificate, DESIGN §6 "state transfer") goes through the validation gate
// (consensus/message_gate.h, CheckBlocks) and, when admitted, into a PBFT core at height 0,
// which orders the blocks that extend its chain; each block it emits is then reported stored
// (OnCommitted), as the node's runtime does, so checkpoints and later fetches run too.
// Input: byte 0 names the sender (0..n), the rest is a serialized v1::Blocks. Seeds: chains of
// validly certified blocks (shipledger_fuzz_seeds).
// What must hold: no crash or sanitizer report, and the core emits blocks in height order
// without gaps (PlayActions).
#include <cstddef>
#include <cstdint>

#include "consensus/message_gate.h"
#include "fuzz/fuzz_network.h"
#include "model/validation.h"

namespace {

using shipledger::fuzz::kFuzzNowMs;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  shipledger::fuzz::FuzzGate& g = shipledger::fuzz::SharedGate();
  const auto input = shipledger::fuzz::SplitSender(data, size);
  if (!input.has_value()) return 0;
  shipledger::v1::PeerMessage message;
  if (!message.mutable_blocks()->ParseFromArray(input->message.data(),
                                                static_cast<int>(input->message.size()))) {
    return 0;
  }
  auto admitted = g.gate.Check(input->from, std::move(message), kFuzzNowMs);
  if (!admitted.ok()) return 0;

  shipledger::fuzz::FreshReplica core(g.network, kFuzzNowMs);
  uint64_t stored = 0;
  shipledger::fuzz::PlayActions(*core.replica, core.replica->OnPeerMessage(*admitted, kFuzzNowMs),
                                kFuzzNowMs, &stored);
  shipledger::fuzz::PlayActions(*core.replica, core.replica->OnTick(kFuzzNowMs + 60 * 1000),
                                kFuzzNowMs + 60 * 1000, &stored);
  return 0;
}
