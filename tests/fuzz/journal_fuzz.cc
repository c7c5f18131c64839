// Fuzz target: a PBFT core restarted from a consensus journal (storage/store_consensus.cc
// LoadJournal, consensus/pbft_checkpoint.cc RestoreJournal). The journal is the node's own, on
// its own disk, but a torn or damaged file must make the node refuse to start or restart
// cleanly, never crash it on undefined behaviour.
// Input: records of u16 big-endian length ‖ serialized v1::JournalEntry, as LoadJournal parses
// them one value at a time; a record that does not parse ends the input (LoadJournal reports
// DATA_LOSS and the node does not start). Seeds: journals a core wrote while running the
// peer_sequence_fuzz seeds (shipledger_fuzz_seeds).
// What must hold: no crash or sanitizer report while the core restores, starts and runs its
// timers, and blocks come out in height order (PlayActions).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "consensus/key_signer.h"
#include "consensus/pbft_replica.h"
#include "fuzz/fuzz_network.h"

namespace {

namespace consensus = shipledger::consensus;
using shipledger::fuzz::kFuzzNowMs;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const shipledger::fuzz::FuzzNetwork& network = shipledger::fuzz::Network();
  static const consensus::KeySigner signer(network.nodes.at(shipledger::fuzz::kSelf).key);
  consensus::Restored restored;
  restored.tip.block_hash = network.genesis->hash;
  restored.tip.results = shipledger::Bytes(32, '\0');
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (rest.size() >= 2) {
    const size_t length =
        (size_t{static_cast<uint8_t>(rest[0])} << 8) | static_cast<uint8_t>(rest[1]);
    rest.remove_prefix(2);
    const std::string_view value = rest.substr(0, length);
    rest.remove_prefix(value.size());
    if (!restored.journal.emplace_back().ParseFromArray(value.data(),
                                                        static_cast<int>(value.size()))) {
      return 0;
    }
  }
  consensus::PbftReplica core(
      network.genesis,
      consensus::PbftOptions::FromGenesis(*network.genesis, shipledger::fuzz::kSelf, 1000), &signer,
      restored);
  uint64_t stored = 0;
  shipledger::fuzz::PlayActions(core, core.Start(kFuzzNowMs), kFuzzNowMs, &stored);
  for (int64_t t = 1; t <= 3; ++t) {
    const int64_t now_ms = kFuzzNowMs + t * 10 * 1000;
    shipledger::fuzz::PlayActions(core, core.OnTick(now_ms), now_ms, &stored);
  }
  return 0;
}
