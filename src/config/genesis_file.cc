#include "config/genesis_file.h"

#include <openssl/x509v3.h>

#include <algorithm>
#include <map>
#include <set>

#include "config/files.h"
#include "config/yaml_fields.h"
#include "crypto/sha256.h"
#include "model/block.h"
#include "model/event.h"
#include "shipledger/endpoint.h"

namespace shipledger::config {
namespace {

using internal::YamlField;

constexpr size_t kMaxIdBytes = 64;

// Chain and organisation ids: they end up in certificates, file names and signed messages.
bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

Status ReadId(const YamlField& map, std::string_view key, std::string* out) {
  SL_RETURN_IF_ERROR(map.ReadString(key, true, out));
  if (!IsValidId(*out)) {
    return map.Child(key).Error("'" + *out + "' is not a valid id (1 to 64 of [A-Za-z0-9._-])");
  }
  return Status::Ok();
}

Result<crypto::Certificate> ReadCertificate(const YamlField& field) {
  SL_ASSIGN_OR_RETURN(const std::string pem, field.AsString());
  auto cert = crypto::Certificate::FromPem(pem);
  if (!cert.ok()) return field.Error(cert.status().message());
  if (auto key = cert->public_key(); !key.ok()) return field.Error(key.status().message());
  return cert;
}

Result<model::Organisation> ParseOrganisation(const YamlField& item) {
  SL_RETURN_IF_ERROR(
      item.CheckMap({"id", "role", "ca_cert", "encryption_key"}, {"id", "role", "ca_cert"}));
  std::string id;
  SL_RETURN_IF_ERROR(ReadId(item, "id", &id));
  std::string role_name;
  SL_RETURN_IF_ERROR(item.ReadString("role", true, &role_name));
  const std::optional<model::Role> role = model::ParseRole(role_name);
  if (!role) return item.Child("role").Error("unknown role '" + role_name + "'");

  const YamlField ca = item.Child("ca_cert");
  SL_ASSIGN_OR_RETURN(crypto::Certificate ca_cert, ReadCertificate(ca));
  if (!ca_cert.is_ca()) return ca.Error("not a CA certificate (CA:TRUE)");
  if (ca_cert.organization() != id) {
    return ca.Error("its subject O is '" + ca_cert.organization() + "', expected '" + id + "'");
  }

  std::optional<crypto::PublicKey> encryption_key;
  const YamlField enc = item.Child("encryption_key");
  if (!enc.IsMissing()) {
    SL_ASSIGN_OR_RETURN(const std::string pem, enc.AsString());
    auto key = crypto::PublicKey::FromPem(pem);
    if (!key.ok()) return enc.Error(key.status().message());
    encryption_key = std::move(key).value();
  }
  return model::Organisation{std::move(id), *role, std::move(ca_cert), std::move(encryption_key)};
}

// A client certificate (clientAuth only) must never be pinned as a voter (DESIGN §3).
bool AllowsServerAuth(const crypto::Certificate& cert) {
  return (X509_get_extended_key_usage(cert.raw()) & XKU_SSL_SERVER) != 0;
}

Result<model::Replica> ParseReplica(const YamlField& item, const model::Genesis& genesis) {
  SL_RETURN_IF_ERROR(item.CheckMap({"id", "org", "grpc", "peer", "node_cert", "fingerprint"},
                                   {"id", "org", "grpc", "peer", "node_cert", "fingerprint"}));
  uint32_t id = 0;
  SL_RETURN_IF_ERROR(item.ReadU32("id", true, 0, &id));
  std::string org_id;
  SL_RETURN_IF_ERROR(item.ReadString("org", true, &org_id));
  const auto org = std::find_if(genesis.organisations.begin(), genesis.organisations.end(),
                                [&](const model::Organisation& o) { return o.id == org_id; });
  if (org == genesis.organisations.end()) {
    return item.Child("org").Error("unknown organisation '" + org_id + "'");
  }
  std::string grpc;
  std::string peer;
  for (auto [key, out] : {std::pair{"grpc", &grpc}, std::pair{"peer", &peer}}) {
    SL_RETURN_IF_ERROR(item.ReadString(key, true, out));
    if (!IsValidEndpoint(*out)) {
      return item.Child(key).Error("expected host:port, got '" + *out + "'");
    }
  }

  const YamlField cert_field = item.Child("node_cert");
  SL_ASSIGN_OR_RETURN(crypto::Certificate cert, ReadCertificate(cert_field));
  if (cert.organization() != org_id) {
    return cert_field.Error("issued to organisation '" + cert.organization() + "', not '" + org_id +
                            "'");
  }
  // Judged at the certificate's own start, so the genesis stays valid after it expires.
  if (Status s = crypto::VerifyChain(cert, org->ca_cert, cert.not_before_ms()); !s.ok()) {
    return cert_field.Error("not issued by the CA of '" + org_id + "': " + s.message());
  }
  if (!AllowsServerAuth(cert)) {
    return cert_field.Error("not a node certificate (no serverAuth usage)");
  }

  const YamlField fp_field = item.Child("fingerprint");
  SL_ASSIGN_OR_RETURN(const std::string fp_hex, fp_field.AsString());
  const std::optional<Bytes> fp = FromHex(fp_hex);
  if (!fp || fp->size() != crypto::kSha256Size) {
    return fp_field.Error("expected 64 hex digits (SHA-256 of the certificate DER)");
  }
  if (*fp != cert.fingerprint()) {
    return fp_field.Error("does not match node_cert (whose fingerprint is " +
                          ToHex(cert.fingerprint()) + ")");
  }
  return model::Replica{id, std::move(org_id), std::move(grpc), std::move(peer), std::move(cert)};
}

Status ParseReplicas(const YamlField& list, model::Genesis* genesis) {
  SL_RETURN_IF_ERROR(list.CheckSequence());
  const size_t n = list.size();
  if (n == 0) return list.Error("at least one replica is required");
  std::map<uint32_t, size_t> index_of_id;
  std::map<Bytes, size_t> index_of_fingerprint;
  for (size_t i = 0; i < n; ++i) {
    const YamlField item = list.Item(i);
    SL_ASSIGN_OR_RETURN(model::Replica r, ParseReplica(item, *genesis));
    if (r.id >= n) {
      return item.Child("id").Error("replica ids must be 0.." + std::to_string(n - 1) + ", got " +
                                    std::to_string(r.id));
    }
    if (auto [it, fresh] = index_of_id.emplace(r.id, i); !fresh) {
      return item.Child("id").Error("duplicate replica id " + std::to_string(r.id) +
                                    " (also replicas[" + std::to_string(it->second) + "])");
    }
    if (auto [it, fresh] = index_of_fingerprint.emplace(r.node_cert.fingerprint(), i); !fresh) {
      return item.Child("node_cert")
          .Error("same certificate as replicas[" + std::to_string(it->second) + "]");
    }
    genesis->replicas.push_back(std::move(r));
  }
  if (n != 1 && n % 3 != 1) {
    return list.Error(std::to_string(n) + " replicas; PBFT needs 1 or 3f+1 (4, 7, 10...)");
  }
  std::sort(genesis->replicas.begin(), genesis->replicas.end(),
            [](const model::Replica& a, const model::Replica& b) { return a.id < b.id; });
  return Status::Ok();
}

Status ParseConsensus(const YamlField& map, model::ConsensusParams* c) {
  SL_RETURN_IF_ERROR(map.CheckMap({"batch_max_events", "batch_timeout_ms", "window",
                                   "checkpoint_interval", "view_timeout_ms", "clock_skew_ms"},
                                  {"batch_max_events", "batch_timeout_ms", "window",
                                   "checkpoint_interval", "view_timeout_ms", "clock_skew_ms"}));
  SL_RETURN_IF_ERROR(map.ReadU32("batch_max_events", true, 1, &c->batch_max_events));
  SL_RETURN_IF_ERROR(map.ReadU32("batch_timeout_ms", true, 0, &c->batch_timeout_ms));
  SL_RETURN_IF_ERROR(map.ReadU32("window", true, 1, &c->window));
  SL_RETURN_IF_ERROR(map.ReadU32("checkpoint_interval", true, 1, &c->checkpoint_interval));
  SL_RETURN_IF_ERROR(map.ReadU32("view_timeout_ms", true, 1, &c->view_timeout_ms));
  SL_RETURN_IF_ERROR(map.ReadI64("clock_skew_ms", true, 0, &c->clock_skew_ms));
  return Status::Ok();
}

// Every key optional: absent ones keep the defaults of model::Limits.
Status ParseLimits(const YamlField& map, model::Limits* l) {
  if (map.IsMissing()) return Status::Ok();
  SL_RETURN_IF_ERROR(map.CheckMap(
      {"max_event_bytes", "max_signed_event_bytes", "max_batch_events", "max_request_bytes",
       "max_cosignatures", "max_references", "max_documents", "max_details", "max_field_bytes",
       "max_legs", "max_readings", "max_open_offers_per_org", "max_open_legs_per_shipment",
       "max_private_fields", "max_private_readers", "max_private_value_bytes", "max_future_skew_ms",
       "max_event_age_ms"},
      {}));
  SL_RETURN_IF_ERROR(map.ReadU32("max_event_bytes", false, 1, &l->max_event_bytes));
  SL_RETURN_IF_ERROR(map.ReadU32("max_signed_event_bytes", false, 1, &l->max_signed_event_bytes));
  SL_RETURN_IF_ERROR(map.ReadU32("max_batch_events", false, 1, &l->max_batch_events));
  SL_RETURN_IF_ERROR(map.ReadU32("max_request_bytes", false, 1, &l->max_request_bytes));
  SL_RETURN_IF_ERROR(map.ReadU32("max_cosignatures", false, 0, &l->max_cosignatures));
  SL_RETURN_IF_ERROR(map.ReadU32("max_references", false, 0, &l->max_references));
  SL_RETURN_IF_ERROR(map.ReadU32("max_documents", false, 0, &l->max_documents));
  SL_RETURN_IF_ERROR(map.ReadU32("max_details", false, 0, &l->max_details));
  SL_RETURN_IF_ERROR(map.ReadU32("max_field_bytes", false, 1, &l->max_field_bytes));
  SL_RETURN_IF_ERROR(map.ReadU32("max_legs", false, 1, &l->max_legs));
  SL_RETURN_IF_ERROR(map.ReadU32("max_readings", false, 1, &l->max_readings));
  SL_RETURN_IF_ERROR(map.ReadU32("max_open_offers_per_org", false, 0, &l->max_open_offers_per_org));
  SL_RETURN_IF_ERROR(
      map.ReadU32("max_open_legs_per_shipment", false, 0, &l->max_open_legs_per_shipment));
  SL_RETURN_IF_ERROR(map.ReadU32("max_private_fields", false, 0, &l->max_private_fields));
  SL_RETURN_IF_ERROR(map.ReadU32("max_private_readers", false, 1, &l->max_private_readers));
  SL_RETURN_IF_ERROR(map.ReadU32("max_private_value_bytes", false, 0, &l->max_private_value_bytes));
  SL_RETURN_IF_ERROR(map.ReadI64("max_future_skew_ms", false, 0, &l->max_future_skew_ms));
  SL_RETURN_IF_ERROR(map.ReadI64("max_event_age_ms", false, 1, &l->max_event_age_ms));
  if (l->max_signed_event_bytes < l->max_event_bytes) {
    return map.Child("max_signed_event_bytes").Error("must be at least max_event_bytes");
  }
  if (l->max_request_bytes < l->max_signed_event_bytes) {
    return map.Child("max_request_bytes").Error("must be at least max_signed_event_bytes");
  }
  return Status::Ok();
}

Status ParseRolePolicy(const YamlField& map, model::Genesis* genesis) {
  SL_RETURN_IF_ERROR(map.CheckMapWithAnyKeys());
  for (auto it = map.node().begin(); it != map.node().end(); ++it) {
    const std::string& name = it->first.Scalar();
    const YamlField roles = map.Child(name);
    const std::optional<v1::EventType> type = model::ParseEventType(name);
    if (!type || *type == v1::EVENT_TYPE_UNSPECIFIED) {
      return roles.Error("unknown event type '" + name + "'");
    }
    std::vector<model::Role>& allowed = genesis->role_policy[*type];
    if (roles.IsMissing()) continue;  // `type:` alone: nobody may sign it
    SL_RETURN_IF_ERROR(roles.CheckSequence());
    for (size_t i = 0; i < roles.size(); ++i) {
      const YamlField item = roles.Item(i);
      SL_ASSIGN_OR_RETURN(const std::string role_name, item.AsString());
      const std::optional<model::Role> role = model::ParseRole(role_name);
      if (!role) return item.Error("unknown role '" + role_name + "'");
      if (std::find(allowed.begin(), allowed.end(), *role) != allowed.end()) {
        return item.Error("role '" + role_name + "' listed twice");
      }
      allowed.push_back(*role);
    }
  }
  return Status::Ok();
}

// contract_rules: [{from_height, version}], from height 1, heights increasing, versions this
// build executes (a newer genesis must not run on older code: it would execute differently).
Status ParseContractRules(const YamlField& list, std::vector<model::ContractRulesFrom>* out) {
  if (list.IsMissing()) return Status::Ok();
  SL_RETURN_IF_ERROR(list.CheckSequence());
  uint64_t previous_height = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    const YamlField item = list.Item(i);
    SL_RETURN_IF_ERROR(item.CheckMap({"from_height", "version"}, {"from_height", "version"}));
    SL_ASSIGN_OR_RETURN(const uint64_t height,
                        item.Child("from_height").AsUint(1, UINT64_MAX >> 1));
    SL_ASSIGN_OR_RETURN(const uint64_t version, item.Child("version").AsUint(1, UINT32_MAX));
    if (version < model::kOldestContractRules || version > model::kLatestContractRules) {
      return item.Child("version").Error("contract rules version " + std::to_string(version) +
                                         " is not supported; this build "
                                         "executes versions " +
                                         std::to_string(model::kOldestContractRules) + " to " +
                                         std::to_string(model::kLatestContractRules));
    }
    if (i == 0 && height != 1) return item.Child("from_height").Error("the first rule starts at 1");
    if (i > 0 && height <= previous_height) {
      return item.Child("from_height").Error("heights must increase");
    }
    previous_height = height;
    out->push_back({height, static_cast<uint32_t>(version)});
  }
  return Status::Ok();
}

// DESIGN §8: reads are scoped to a shipment's parties unless the genesis widens them.
Status ParseReadScope(const YamlField& field, model::ReadScope* out) {
  if (field.IsMissing()) return Status::Ok();
  SL_ASSIGN_OR_RETURN(const std::string value, field.AsString());
  if (value == "parties") {
    *out = model::ReadScope::kParties;
  } else if (value == "all_members") {
    *out = model::ReadScope::kAllMembers;
  } else {
    return field.Error("'" + value + "' is not a read scope: use parties or all_members");
  }
  return Status::Ok();
}

Result<std::shared_ptr<const model::Genesis>> ParseNamed(std::string_view text,
                                                         const std::string& file) {
  SL_ASSIGN_OR_RETURN(YAML::Node doc, internal::ParseYaml(text, file));
  const YamlField root = internal::RootField(std::move(doc), file);
  auto genesis = std::make_shared<model::Genesis>();
  try {
    SL_RETURN_IF_ERROR(
        root.CheckMap({"chain_id", "organisations", "replicas", "consensus", "limits",
                       "role_policy", "contract_rules", "read_scope"},
                      {"chain_id", "organisations", "replicas", "consensus", "role_policy"}));
    SL_RETURN_IF_ERROR(ReadId(root, "chain_id", &genesis->chain_id));

    const YamlField orgs = root.Child("organisations");
    SL_RETURN_IF_ERROR(orgs.CheckSequence());
    if (orgs.size() == 0) return orgs.Error("at least one organisation is required");
    std::set<std::string, std::less<>> org_ids;
    for (size_t i = 0; i < orgs.size(); ++i) {
      SL_ASSIGN_OR_RETURN(model::Organisation org, ParseOrganisation(orgs.Item(i)));
      if (!org_ids.insert(org.id).second) {
        return orgs.Item(i).Child("id").Error("duplicate organisation id '" + org.id + "'");
      }
      genesis->organisations.push_back(std::move(org));
    }

    SL_RETURN_IF_ERROR(ParseReplicas(root.Child("replicas"), genesis.get()));
    SL_RETURN_IF_ERROR(ParseConsensus(root.Child("consensus"), &genesis->consensus));
    SL_RETURN_IF_ERROR(ParseLimits(root.Child("limits"), &genesis->limits));
    SL_RETURN_IF_ERROR(ParseRolePolicy(root.Child("role_policy"), genesis.get()));
    SL_RETURN_IF_ERROR(ParseContractRules(root.Child("contract_rules"), &genesis->contract_rules));
    SL_RETURN_IF_ERROR(ParseReadScope(root.Child("read_scope"), &genesis->read_scope));
  } catch (const YAML::Exception& e) {
    // Not expected (every node is type-checked before use); kept so no exception escapes.
    return Status::InvalidArgument(file + ": " + e.what());
  }
  genesis->hash = crypto::Sha256({model::kGenesisDomain, text});
  return std::shared_ptr<const model::Genesis>(std::move(genesis));
}

// PEM without its final line break: a YAML literal block ("|") restores exactly one.
std::string Block(std::string_view pem) {
  while (!pem.empty() && pem.back() == '\n') pem.remove_suffix(1);
  return std::string(pem);
}

}  // namespace

Result<std::shared_ptr<const model::Genesis>> ParseGenesis(std::string_view yaml_text) {
  return ParseNamed(yaml_text, "genesis.yaml");
}

Result<std::shared_ptr<const model::Genesis>> LoadGenesis(const std::string& path) {
  SL_ASSIGN_OR_RETURN(const std::string text, internal::ReadWholeFile(path));
  return ParseNamed(text, path);
}

std::string RenderGenesis(const GenesisSpec& spec) {
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::BeginMap;
  out << YAML::Key << "chain_id" << YAML::Value << spec.chain_id;

  out << YAML::Key << "organisations" << YAML::Value << YAML::BeginSeq;
  for (const GenesisSpec::Org& org : spec.organisations) {
    out << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value << org.id;
    out << YAML::Key << "role" << YAML::Value << std::string(model::RoleName(org.role));
    out << YAML::Key << "ca_cert" << YAML::Value << YAML::Literal << Block(org.ca_cert_pem);
    if (!org.encryption_key_pem.empty()) {
      out << YAML::Key << "encryption_key" << YAML::Value << YAML::Literal
          << Block(org.encryption_key_pem);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;

  out << YAML::Key << "replicas" << YAML::Value << YAML::BeginSeq;
  for (const GenesisSpec::Replica& r : spec.replicas) {
    // An unparsable certificate gets no fingerprint, so ParseGenesis names the problem.
    auto cert = crypto::Certificate::FromPem(r.node_cert_pem);
    out << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value << r.id;
    out << YAML::Key << "org" << YAML::Value << r.org;
    out << YAML::Key << "grpc" << YAML::Value << r.grpc_endpoint;
    out << YAML::Key << "peer" << YAML::Value << r.peer_endpoint;
    out << YAML::Key << "node_cert" << YAML::Value << YAML::Literal << Block(r.node_cert_pem);
    out << YAML::Key << "fingerprint" << YAML::Value
        << (cert.ok() ? ToHex(cert->fingerprint()) : std::string());
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;

  const model::ConsensusParams& c = spec.consensus;
  out << YAML::Key << "consensus" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "batch_max_events" << YAML::Value << c.batch_max_events;
  out << YAML::Key << "batch_timeout_ms" << YAML::Value << c.batch_timeout_ms;
  out << YAML::Key << "window" << YAML::Value << c.window;
  out << YAML::Key << "checkpoint_interval" << YAML::Value << c.checkpoint_interval;
  out << YAML::Key << "view_timeout_ms" << YAML::Value << c.view_timeout_ms;
  out << YAML::Key << "clock_skew_ms" << YAML::Value << c.clock_skew_ms;
  out << YAML::EndMap;

  const model::Limits& l = spec.limits;
  out << YAML::Key << "limits" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "max_event_bytes" << YAML::Value << l.max_event_bytes;
  out << YAML::Key << "max_signed_event_bytes" << YAML::Value << l.max_signed_event_bytes;
  out << YAML::Key << "max_batch_events" << YAML::Value << l.max_batch_events;
  out << YAML::Key << "max_request_bytes" << YAML::Value << l.max_request_bytes;
  out << YAML::Key << "max_cosignatures" << YAML::Value << l.max_cosignatures;
  out << YAML::Key << "max_references" << YAML::Value << l.max_references;
  out << YAML::Key << "max_documents" << YAML::Value << l.max_documents;
  out << YAML::Key << "max_details" << YAML::Value << l.max_details;
  out << YAML::Key << "max_field_bytes" << YAML::Value << l.max_field_bytes;
  out << YAML::Key << "max_legs" << YAML::Value << l.max_legs;
  out << YAML::Key << "max_readings" << YAML::Value << l.max_readings;
  out << YAML::Key << "max_open_offers_per_org" << YAML::Value << l.max_open_offers_per_org;
  out << YAML::Key << "max_open_legs_per_shipment" << YAML::Value << l.max_open_legs_per_shipment;
  out << YAML::Key << "max_private_fields" << YAML::Value << l.max_private_fields;
  out << YAML::Key << "max_private_readers" << YAML::Value << l.max_private_readers;
  out << YAML::Key << "max_private_value_bytes" << YAML::Value << l.max_private_value_bytes;
  out << YAML::Key << "max_future_skew_ms" << YAML::Value << l.max_future_skew_ms;
  out << YAML::Key << "max_event_age_ms" << YAML::Value << l.max_event_age_ms;
  out << YAML::EndMap;

  out << YAML::Key << "role_policy" << YAML::Value << YAML::BeginMap;
  for (const auto& [type, roles] : spec.role_policy) {
    out << YAML::Key << model::EventTypeName(type) << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (model::Role role : roles) out << std::string(model::RoleName(role));
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;

  // DESIGN §8: who may read a shipment through the client API.
  out << YAML::Key << "read_scope" << YAML::Value
      << (spec.read_scope == model::ReadScope::kAllMembers ? "all_members" : "parties");

  // The latest contract rules from the first block (DESIGN §3). A genesis keeps the versions it
  // names forever (it is block 0): a network started under version 1 still executes version 1
  // on newer code, and every height replays under the rules it was written with.
  out << YAML::Key << "contract_rules" << YAML::Value << YAML::BeginSeq << YAML::Flow
      << YAML::BeginMap << YAML::Key << "from_height" << YAML::Value << 1 << YAML::Key << "version"
      << YAML::Value << model::kLatestContractRules << YAML::EndMap << YAML::EndSeq;
  out << YAML::EndMap;
  SHIPLEDGER_CHECK_MSG(out.good(), out.GetLastError().c_str());

  std::string text =
      "# shipledger genesis (DESIGN §3): chain id, organisations and their CAs, replicas with\n"
      "# pinned node certificates, consensus parameters, limits and role policy.\n"
      "# The genesis hash is SHA-256(\"shipledger/genesis/v1\" || this file's exact bytes):\n"
      "# every party must hold this file byte for byte; compare hashes out of band.\n";
  text += out.c_str();
  text += "\n";
  return text;
}

}  // namespace shipledger::config
