// genesis.yaml: reading it into a model::Genesis, and writing one (network init).
// The genesis hash is SHA-256("shipledger/genesis/v1" ‖ the file's exact bytes), so every
// party must hold a byte-identical file.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "model/genesis.h"
#include "shipledger/status.h"

namespace shipledger::config {

// Parses genesis YAML text. INVALID_ARGUMENT naming the bad key (e.g. "genesis.yaml:
// organisations[2].role: unknown role 'shipper'") on any malformed or inconsistent content:
// duplicate organisation or replica ids, a replica's org unknown, a node certificate not issued
// by its organisation's CA, a pinned fingerprint that does not match the certificate, unknown
// event type or role in the role policy, n not of the form 3f+1 (n = 1 is allowed).
Result<std::shared_ptr<const model::Genesis>> ParseGenesis(std::string_view yaml_text);
// Reads and parses a file; NOT_FOUND when missing.
Result<std::shared_ptr<const model::Genesis>> LoadGenesis(const std::string& path);

// Everything needed to write a genesis.yaml.
struct GenesisSpec {
  std::string chain_id;
  struct Org {
    std::string id;
    model::Role role;
    std::string ca_cert_pem;
    std::string encryption_key_pem;  // P-256 public key (PEM)
  };
  struct Replica {
    uint32_t id;
    std::string org;
    std::string grpc_endpoint;
    std::string peer_endpoint;
    std::string node_cert_pem;
  };
  std::vector<Org> organisations;
  std::vector<Replica> replicas;
  model::ConsensusParams consensus;
  model::Limits limits;
  std::map<v1::EventType, std::vector<model::Role>> role_policy;
  model::ReadScope read_scope = model::ReadScope::kParties;
};
// Renders YAML that ParseGenesis reads back to the same content (fingerprints are computed
// and pinned from the node certificates).
std::string RenderGenesis(const GenesisSpec& spec);

}  // namespace shipledger::config
