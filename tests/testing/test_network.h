// An in-memory test network: organisation CAs, client and node identities, a Genesis, and
// helpers that build and sign events as the parties would. For unit and integration tests.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/identity.h"
#include "model/event.h"
#include "model/genesis.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::testing {

struct TestOrg {
  std::string id;
  model::Role role;
  crypto::PrivateKey ca_key;
  crypto::Certificate ca_cert;
  config::Identity client;            // CN=admin
  crypto::PrivateKey encryption_key;  // its public half is in the genesis (private fields)
};

class TestNetwork {
 public:
  // Organisations in order; the first `nodes` of them run a node (replicas 0..nodes-1).
  // Default: exporter, forwarder, customs, importer with one node (the exporter's).
  static std::unique_ptr<TestNetwork> Create(
      const std::vector<std::pair<std::string, model::Role>>& orgs = DefaultOrgs(), int nodes = 1,
      int64_t now_ms = kDefaultNowMs);
  static std::vector<std::pair<std::string, model::Role>> DefaultOrgs();
  static constexpr int64_t kDefaultNowMs = 1795000000000;  // 2026-11-19

  std::shared_ptr<const model::Genesis> genesis() const { return genesis_; }
  const TestOrg& org(const std::string& id) const { return orgs_.at(id); }
  const config::Identity& node(uint32_t replica) const { return nodes_.at(replica); }
  // Issues another identity of `org_id` (a client unless `ca` is another org's CA).
  config::Identity IssueClient(const std::string& org_id, const std::string& name) const;
  int64_t now_ms() const { return now_ms_; }
  // Sets the genesis's contract rules (its hash is not recomputed: tests only).
  void SetContractRules(std::vector<model::ContractRulesFrom> rules) {
    genesis_->contract_rules = std::move(rules);
  }
  // Sets the genesis's limits (its hash is not recomputed: tests only).
  void SetLimits(const model::Limits& limits) { genesis_->limits = limits; }

  // An unsigned event of `type` for `shipment` by `org_id`, timestamped now, random nonce.
  v1::Event NewEvent(const std::string& org_id, v1::EventType type,
                     const std::string& shipment) const;
  // Serialises `event` and signs it as `signer`; each co-signer signs the event id.
  v1::SignedEvent Sign(const v1::Event& event, const config::Identity& signer,
                       const std::vector<const config::Identity*>& cosigners = {}) const;
  // NewEvent + Sign by the org's admin client (co-signed by the named orgs' admins).
  v1::SignedEvent SignedBy(const std::string& org_id, v1::EventType type,
                           const std::string& shipment,
                           const std::vector<std::string>& cosigner_orgs = {}) const;

 private:
  std::shared_ptr<model::Genesis> genesis_;
  std::map<std::string, TestOrg> orgs_;
  std::vector<config::Identity> nodes_;
  int64_t now_ms_ = kDefaultNowMs;
};

}  // namespace shipledger::testing
