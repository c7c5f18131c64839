#include "fuzz/fuzz_network.h"

#include <cstdio>
#include <cstdlib>

#include "config/genesis_file.h"
#include "consensus/key_signer.h"

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

}  // namespace shipledger::fuzz
