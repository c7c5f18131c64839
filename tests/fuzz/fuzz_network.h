// The fixed test network of the fuzz targets (tests/fuzz/network/): a four-replica genesis and
// the node and client keys that sign the seed corpora. Committed once, so that a seed signed
// today is still validly signed on every later run (keys made afresh per run would turn every
// seed into a bad-signature case). Written by `shipledger_fuzz_seeds --init`.
// Thread-safety: Load and the returned value are read-only after construction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/identity.h"
#include "consensus/message_gate.h"
#include "consensus/pbft_replica.h"
#include "model/genesis.h"
#include "model/validation.h"
#include "shipledger/status.h"

namespace shipledger::fuzz {

// The time every target runs at: inside the validity of every certificate of the network
// (issued for ten years from a day before it) and the occurrence time of the seed events.
inline constexpr int64_t kFuzzNowMs = 1795000000000;  // 2026-11-19
// The replica the targets play: a backup in views 0, 1 and 2, so that seeds can carry the
// pre-prepares of view 0 and the new views of views 1 and 2.
inline constexpr uint32_t kSelf = 3;

struct FuzzNetwork {
  std::shared_ptr<const model::Genesis> genesis;
  std::vector<config::Identity> nodes;  // by replica id
  config::Identity exporter_admin;      // signs the seed events
  config::Identity forwarder_admin;
};

// The network's folder in the source tree (compiled in).
std::string NetworkDir();

// Loads genesis.yaml and the identities under `dir`. NOT_FOUND or INVALID_ARGUMENT naming the
// file when one is missing or bad.
Result<FuzzNetwork> LoadNetwork(const std::string& dir);

// The network under NetworkDir(), loaded on first use. Aborts the process with a message when
// it cannot be loaded (a fuzz target without its network cannot run).
const FuzzNetwork& Network();

// A PBFT core playing replica kSelf at height 0 (fresh from the genesis), started at now_ms.
// `network` must outlive it.
struct FreshReplica {
  FreshReplica(const FuzzNetwork& network, int64_t now_ms);
  std::unique_ptr<consensus::Signer> signer;
  std::unique_ptr<consensus::PbftReplica> replica;
};

// The message gate of replica kSelf over Network(), as a node builds it. One per target run:
// its verified set only spares the signature checks of envelopes it verified before.
struct FuzzGate {
  FuzzGate()
      : network(Network()), validator(network.genesis), gate(network.genesis, &validator, kSelf) {}
  const FuzzNetwork& network;
  model::EventValidator validator;
  consensus::MessageGate gate;
};

// The first byte of a fuzz input names the sender: 0..n (n itself is not a replica).
uint32_t SenderFromByte(uint8_t byte, uint32_t n);

// One gate for the whole run, as in a node: its verified set only spares the signature checks
// of envelopes it verified before.
FuzzGate& SharedGate();

// An input "sender byte ‖ message": the sender (SenderFromByte over the shared gate's network)
// and the message bytes; nullopt for an empty input.
struct FromSender {
  uint32_t from = 0;
  std::string_view message;
};
std::optional<FromSender> SplitSender(const uint8_t* data, size_t size);

// Silences libprotobuf's own log lines (e.g. one per string field with invalid UTF-8), which
// would otherwise fill a fuzz run's output. Call from LLVMFuzzerInitialize.
void QuietProtobufLogs();

// The results digest the harness reports for a stored block at `height` (and the seeds' stable
// checkpoints carry).
Bytes ResultsAt(uint64_t height);

// Plays the node runtime for `actions` of `core`: every CommitBlock is reported stored
// (OnCommitted, with ResultsAt) and the actions that returns are played in turn; other actions
// are dropped (the network and disk are not simulated). Aborts the process when blocks come out
// of height order or with a gap after `*stored_height`, which it advances.
void PlayActions(consensus::PbftReplica& core, consensus::Actions actions, int64_t now_ms,
                 uint64_t* stored_height);

}  // namespace shipledger::fuzz
