// Fuzz target: one peer message through the validation gate (consensus/message_gate.h) and,
// when the gate admits it, into a PBFT core (consensus/pbft_replica.h), as the node does with
// every frame a peer sends (node/peer_io.cc OnFrame).
// Input: byte 0 names the sender (0..n; n is no replica, kSelf is this replica), the rest is a
// serialized v1::PeerMessage. Seeds: validly signed messages of every kind
// (shipledger_fuzz_seeds), so that mutations reach the checks behind the signatures.
// What must hold: no crash or sanitizer report, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

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
  auto admitted = g.gate.Admit(input->from, input->message, kFuzzNowMs);
  if (!admitted.ok()) return 0;
  if (admitted->message.has_fetch_blocks()) return 0;  // answered from the store, not the core
  shipledger::fuzz::FreshReplica core(g.network, kFuzzNowMs);
  (void)core.replica->OnPeerMessage(*admitted, kFuzzNowMs);
  // Let every timer the message armed fire: view-change timeouts, fetch retries, heartbeats.
  (void)core.replica->OnTick(kFuzzNowMs + 60 * 1000);
  return 0;
}
