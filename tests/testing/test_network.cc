#include "testing/test_network.h"

#include <openssl/rand.h>

#include <stdexcept>

#include "crypto/sha256.h"
#include "model/block.h"

namespace shipledger::testing {

namespace {
template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) throw std::runtime_error(r.status().ToString());
  return std::move(r).value();
}

crypto::IssueOptions Opts(crypto::CertKind kind, const std::string& org, const std::string& cn,
                          int64_t now_ms) {
  crypto::IssueOptions o;
  o.kind = kind;
  o.organization = org;
  o.common_name = cn;
  o.not_before_ms = now_ms - 24LL * 3600 * 1000;
  o.not_after_ms = now_ms + 365LL * 24 * 3600 * 1000;
  uint64_t serial = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof serial);
  o.serial = (serial >> 1) | 1;
  return o;
}
}  // namespace

std::vector<std::pair<std::string, model::Role>> TestNetwork::DefaultOrgs() {
  return {{"exporter", model::Role::kExporter},
          {"forwarder", model::Role::kForwarder},
          {"customs", model::Role::kCustoms},
          {"importer", model::Role::kImporter}};
}

std::unique_ptr<TestNetwork> TestNetwork::Create(
    const std::vector<std::pair<std::string, model::Role>>& orgs, int nodes, int64_t now_ms) {
  auto net = std::unique_ptr<TestNetwork>(new TestNetwork());
  net->now_ms_ = now_ms;
  auto g = std::make_shared<model::Genesis>();
  g->chain_id = "test-chain";
  g->hash = crypto::Sha256({model::kGenesisDomain, "test-genesis"});
  g->role_policy = model::DefaultRolePolicy();
  int index = 0;
  for (const auto& [id, role] : orgs) {
    auto ca_key = Must(crypto::PrivateKey::Generate());
    auto ca_cert = Must(
        crypto::IssueCaCertificate(ca_key, Opts(crypto::CertKind::kCa, id, id + " CA", now_ms)));
    auto client_key = Must(crypto::PrivateKey::Generate());
    auto client_cert =
        Must(crypto::IssueCertificate(ca_cert, ca_key, client_key.public_key(),
                                      Opts(crypto::CertKind::kClient, id, "admin", now_ms)));
    auto encryption_key = Must(crypto::PrivateKey::Generate());
    g->organisations.push_back(model::Organisation{id, role, ca_cert, encryption_key.public_key()});
    if (index < nodes) {
      auto node_key = Must(crypto::PrivateKey::Generate());
      auto node_cert =
          Must(crypto::IssueCertificate(ca_cert, ca_key, node_key.public_key(),
                                        Opts(crypto::CertKind::kNode, id, id + "-node", now_ms)));
      const auto rid = static_cast<uint32_t>(index);
      g->replicas.push_back(
          model::Replica{rid, id, "127.0.0.1:" + std::to_string(17050 + 2 * index),
                         "127.0.0.1:" + std::to_string(17051 + 2 * index), node_cert});
      net->nodes_.push_back(config::Identity{node_cert, node_key});
    }
    net->orgs_.emplace(id, TestOrg{id, role, ca_key, ca_cert,
                                   config::Identity{client_cert, client_key}, encryption_key});
    ++index;
  }
  net->genesis_ = g;
  return net;
}

config::Identity TestNetwork::IssueClient(const std::string& org_id,
                                          const std::string& name) const {
  const TestOrg& o = org(org_id);
  auto key = Must(crypto::PrivateKey::Generate());
  auto cert =
      Must(crypto::IssueCertificate(o.ca_cert, o.ca_key, key.public_key(),
                                    Opts(crypto::CertKind::kClient, org_id, name, now_ms_)));
  return config::Identity{cert, key};
}

v1::Event TestNetwork::NewEvent(const std::string& org_id, v1::EventType type,
                                const std::string& shipment) const {
  v1::Event e;
  e.set_chain_id(genesis_->chain_id);
  e.set_shipment_id(shipment);
  e.set_type(type);
  e.set_signer_org(org_id);
  e.set_occurred_at_ms(now_ms_);
  std::string nonce(16, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), static_cast<int>(nonce.size()));
  e.set_nonce(nonce);
  return e;
}

v1::SignedEvent TestNetwork::Sign(const v1::Event& event, const config::Identity& signer,
                                  const std::vector<const config::Identity*>& cosigners) const {
  std::vector<model::SigningKey> keys;
  for (const auto* c : cosigners) keys.push_back(model::SigningKey{&c->cert, &c->key});
  return Must(model::SignEvent(event, model::SigningKey{&signer.cert, &signer.key}, keys));
}

v1::SignedEvent TestNetwork::SignedBy(const std::string& org_id, v1::EventType type,
                                      const std::string& shipment,
                                      const std::vector<std::string>& cosigner_orgs) const {
  v1::Event e = NewEvent(org_id, type, shipment);
  std::vector<const config::Identity*> cos;
  for (const auto& c : cosigner_orgs) {
    e.add_cosigner_orgs(c);
    cos.push_back(&org(c).client);
  }
  return Sign(e, org(org_id).client, cos);
}

}  // namespace shipledger::testing
