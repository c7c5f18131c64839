#include "fuzz/fuzz_network.h"

#include <google/protobuf/stubs/logging.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <iterator>
#include <variant>

#include "config/genesis_file.h"
#include "consensus/key_signer.h"
#include "crypto/sha256.h"

namespace shipledger::fuzz {

std::string NetworkDir() {
  if (const char* dir = std::getenv("SHIPLEDGER_FUZZ_NETWORK")) return dir;
  return SHIPLEDGER_FUZZ_NETWORK_DIR;
}

Result<FuzzNetwork> LoadNetwork(const std::string& dir) {
  SL_ASSIGN_OR_RETURN(auto genesis, config::LoadGenesis(dir + "/genesis.yaml"));
  std::vector<config::Identity> nodes;
  for (const auto& replica : genesis->replicas) {
    SL_ASSIGN_OR_RETURN(auto identity, config::LoadIdentity(dir + "/" + replica.org + "/node"));
    nodes.push_back(std::move(identity));
  }
  SL_ASSIGN_OR_RETURN(auto exporter, config::LoadIdentity(dir + "/exporter/clients/admin"));
  SL_ASSIGN_OR_RETURN(auto forwarder, config::LoadIdentity(dir + "/forwarder/clients/admin"));
  return FuzzNetwork{std::move(genesis), std::move(nodes), std::move(exporter),
                     std::move(forwarder)};
}

const FuzzNetwork& Network() {
  static const FuzzNetwork* network = [] {
    auto loaded = LoadNetwork(NetworkDir());
    if (!loaded.ok()) {
      std::fprintf(stderr, "fuzz: cannot load the test network %s: %s\n", NetworkDir().c_str(),
                   loaded.status().ToString().c_str());
      std::abort();
    }
    return new FuzzNetwork(std::move(loaded).value());
  }();
  return *network;
}

FreshReplica::FreshReplica(const FuzzNetwork& network, int64_t now_ms)
    : signer(std::make_unique<consensus::KeySigner>(network.nodes.at(kSelf).key)) {
  consensus::Restored restored;
  restored.tip.block_hash = network.genesis->hash;
  restored.tip.results = Bytes(32, '\0');
  // restored.stable: the empty certificate, height 0 (the genesis), as on a new node.
  replica = std::make_unique<consensus::PbftReplica>(
      network.genesis, consensus::PbftOptions::FromGenesis(*network.genesis, kSelf, 1000),
      signer.get(), restored);
  (void)replica->Start(now_ms);
}

uint32_t SenderFromByte(uint8_t byte, uint32_t n) { return byte % (n + 1); }

FuzzGate& SharedGate() {
  static FuzzGate* const gate = new FuzzGate();
  return *gate;
}

std::optional<FromSender> SplitSender(const uint8_t* data, size_t size) {
  if (size < 1) return std::nullopt;
  return FromSender{SenderFromByte(data[0], SharedGate().network.genesis->n()),
                    std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1)};
}

void QuietProtobufLogs() { google::protobuf::SetLogHandler(nullptr); }

Bytes ResultsAt(uint64_t height) { return crypto::Sha256("results " + std::to_string(height)); }

void PlayActions(consensus::PbftReplica& core, consensus::Actions actions, int64_t now_ms,
                 uint64_t* stored_height) {
  std::deque<consensus::Action> pending(std::make_move_iterator(actions.begin()),
                                        std::make_move_iterator(actions.end()));
  while (!pending.empty()) {
    consensus::Action action = std::move(pending.front());
    pending.pop_front();
    const auto* commit = std::get_if<consensus::CommitBlock>(&action);
    if (commit == nullptr) continue;
    const uint64_t height = commit->block.proposal().height();
    if (height != *stored_height + 1) {
      std::fprintf(stderr, "fuzz: the core emitted block %llu after block %llu\n",
                   static_cast<unsigned long long>(height),
                   static_cast<unsigned long long>(*stored_height));
      std::abort();
    }
    *stored_height = height;
    consensus::Committed committed;
    committed.height = height;
    committed.block_hash = commit->block.block_hash();
    committed.results = ResultsAt(height);
    for (auto& a : core.OnCommitted(committed, now_ms)) pending.push_back(std::move(a));
  }
}

}  // namespace shipledger::fuzz
