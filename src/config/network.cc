#include "config/network.h"

#include <openssl/rand.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "config/files.h"
#include "config/genesis_file.h"
#include "config/identity.h"
#include "config/node_config.h"
#include "crypto/x509.h"
#include "model/admin.h"
#include "shipledger/endpoint.h"

namespace shipledger::config {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxNameBytes = 64;
constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int64_t kMaxValidityDays = 100 * 366;
// Certificates start a little in the past, so that a node whose clock is slightly behind the
// issuer's does not judge them not yet valid (matches Limits::max_future_skew_ms).
constexpr int64_t kBackdateMs = 5 * 60 * 1000;

std::string Join(const std::string& dir, std::string_view a, std::string_view b = {},
                 std::string_view c = {}) {
  fs::path p(dir);
  for (std::string_view part : {a, b, c}) {
    if (!part.empty()) p /= part;
  }
  return p.string();
}

bool IsOrgNameChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }
bool IsClientNameChar(char c) { return IsOrgNameChar(c) || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsChainIdChar(char c) { return IsClientNameChar(c) || c == '.'; }

template <typename Pred>
bool IsName(std::string_view s, Pred allowed) {
  return !s.empty() && s.size() <= kMaxNameBytes && std::all_of(s.begin(), s.end(), allowed);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Result<Bytes> RandomBytes(size_t n) {
  Bytes out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return Status::Internal("no randomness available (RAND_bytes failed)");
  }
  return out;
}

// A random positive 63-bit certificate serial (RFC 5280 §4.1.2.2: positive, unpredictable).
Result<uint64_t> RandomSerial() {
  SL_ASSIGN_OR_RETURN(const Bytes bytes, RandomBytes(8));
  const uint64_t serial = GetU64BE(bytes) >> 1;
  return serial == 0 ? 1 : serial;
}

// Checks what ParseOrgSpecs checks, for specs built in code.
Status ValidateOrgSpecs(const std::vector<OrgSpec>& orgs) {
  std::set<std::string, std::less<>> names;
  bool any_node = false;
  for (const OrgSpec& org : orgs) {
    if (!IsName(org.name, IsOrgNameChar)) {
      return Status::InvalidArgument("organisation name '" + org.name +
                                     "': use 1 to 64 of [a-z0-9-]");
    }
    if (!names.insert(org.name).second) {
      return Status::InvalidArgument("organisation '" + org.name + "' named twice");
    }
    any_node = any_node || !org.client_only;
  }
  if (!any_node) {
    return Status::InvalidArgument("no organisation runs a node (all are ':client')");
  }
  return Status::Ok();
}

// Writes DIR/cert.pem and DIR/key.pem, replacing leftovers of an interrupted init.
Status WriteIdentity(const std::string& dir, const crypto::Certificate& cert,
                     const crypto::PrivateKey& key) {
  SL_RETURN_IF_ERROR(
      internal::WriteFileAtomic(Join(dir, "key.pem"), key.ToPem(), internal::kPrivateFileMode));
  return internal::WriteFileAtomic(Join(dir, "cert.pem"), cert.ToPem(), internal::kPublicFileMode);
}

// A fresh key and a certificate for it signed by the CA.
Result<Identity> IssueIdentity(const Identity& ca, crypto::CertKind kind, std::string common_name,
                               int64_t not_before_ms, int64_t not_after_ms, bool admin = false,
                               std::vector<std::string> hosts = {}) {
  SL_ASSIGN_OR_RETURN(crypto::PrivateKey key, crypto::PrivateKey::Generate());
  crypto::IssueOptions options;
  options.kind = kind;
  options.organization = ca.cert.organization();
  options.common_name = std::move(common_name);
  if (admin) options.organizational_unit = std::string(model::kAdminUnit);
  options.not_before_ms = not_before_ms;
  options.not_after_ms = not_after_ms;
  options.hosts = std::move(hosts);
  SL_ASSIGN_OR_RETURN(options.serial, RandomSerial());
  SL_ASSIGN_OR_RETURN(crypto::Certificate cert,
                      crypto::IssueCertificate(ca.cert, ca.key, key.public_key(), options));
  return Identity{std::move(cert), std::move(key)};
}

// host:port as a YAML value: "[v6]:port" is quoted (a bare '[' would open a YAML list).
std::string YamlEndpoint(const std::string& host, uint16_t port) {
  const std::string text = JoinHostPort(host, port);
  return text.front() == '[' ? "\"" + text + "\"" : text;
}

// `listen_host`: the address the node listens on (127.0.0.1, an address of its own, 0.0.0.0).
std::string RenderNodeConfig(uint32_t replica_id, const std::string& org,
                             const std::string& listen_host, uint16_t grpc_port,
                             uint16_t peer_port) {
  const NodeConfig defaults;
  const std::string id = std::to_string(replica_id);
  return "# shipledger node: replica " + id + " of organisation " + org +
         ".\n"
         "# Relative paths are resolved against this file's folder.\n"
         "replica_id: " +
         id + "\n" +
         "genesis: ../../genesis.yaml\n"
         "grpc_listen: " +
         YamlEndpoint(listen_host, grpc_port) + "\n" +
         "peer_listen: " + YamlEndpoint(listen_host, peer_port) + "\n" +
         "data_dir: data\n"
         "cert: cert.pem\n"
         "key: key.pem\n"
         "mempool_capacity: " +
         std::to_string(defaults.mempool_capacity) + "\n" +
         "max_wait_ms: " + std::to_string(defaults.max_wait_ms) + "\n" +
         "log_level: " + defaults.log_level + "\n" +
         "# batch_timeout_ms: 0  # 0 = the genesis value\n"
         "# verify_threads: 0    # signature checks side by side; 0 = one per core\n";
}

}  // namespace

Result<std::vector<OrgSpec>> ParseOrgSpecs(std::string_view text) {
  const std::string whole(text);
  std::vector<OrgSpec> orgs;
  while (true) {
    const size_t comma = text.find(',');
    const std::string_view item = Trim(text.substr(0, comma));
    const std::string shown(item);
    if (item.empty()) return Status::InvalidArgument("empty organisation in '" + whole + "'");
    std::vector<std::string_view> parts;
    for (std::string_view rest = item;;) {
      const size_t colon = rest.find(':');
      parts.push_back(rest.substr(0, colon));
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
    if (parts.size() < 2 || parts.size() > 3 || (parts.size() == 3 && parts[2] != "client")) {
      return Status::InvalidArgument("organisation '" + shown + "': expected NAME:ROLE[:client]");
    }
    OrgSpec org;
    org.name = std::string(parts[0]);
    if (!IsName(org.name, IsOrgNameChar)) {
      return Status::InvalidArgument("organisation '" + shown +
                                     "': name must be 1 to 64 of [a-z0-9-]");
    }
    const std::optional<model::Role> role = model::ParseRole(parts[1]);
    if (!role) {
      return Status::InvalidArgument(
          "organisation '" + shown + "': unknown role '" + std::string(parts[1]) +
          "' (exporter, forwarder, carrier, customs, importer, inspector)");
    }
    org.role = *role;
    org.client_only = parts.size() == 3;
    orgs.push_back(std::move(org));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  SL_RETURN_IF_ERROR(ValidateOrgSpecs(orgs));
  return orgs;
}

Status InitNetwork(const InitOptions& options, const Clock& clock) {
  if (options.out_dir.empty()) return Status::InvalidArgument("no output folder given");
  SL_RETURN_IF_ERROR(ValidateOrgSpecs(options.orgs));
  for (const auto& host_entry : options.hosts) {
    const std::string& org = host_entry.first;
    const auto it = std::find_if(options.orgs.begin(), options.orgs.end(),
                                 [&org](const OrgSpec& o) { return o.name == org; });
    if (it == options.orgs.end() || it->client_only) {
      return Status::InvalidArgument("--host " + org + "=...: " + org +
                                     " is not an organisation that runs a node");
    }
  }
  const auto nodes = static_cast<uint32_t>(std::count_if(
      options.orgs.begin(), options.orgs.end(), [](const OrgSpec& o) { return !o.client_only; }));
  if (nodes != 1 && nodes % 3 != 1) {
    return Status::InvalidArgument(std::to_string(nodes) +
                                   " organisations run nodes; PBFT needs 1 or 3f+1 (4, 7, 10...)");
  }
  if (options.base_port == 0 || options.base_port + 2 * nodes - 1 > 65535) {
    return Status::InvalidArgument("base port " + std::to_string(options.base_port) +
                                   " leaves no room for " + std::to_string(2 * nodes) + " ports");
  }
  if (options.validity_days < 1 || options.validity_days > kMaxValidityDays) {
    return Status::InvalidArgument("validity_days must be 1.." + std::to_string(kMaxValidityDays));
  }
  GenesisSpec spec;
  spec.chain_id = options.chain_id;
  if (spec.chain_id.empty()) {
    SL_ASSIGN_OR_RETURN(const Bytes suffix, RandomBytes(4));
    spec.chain_id = "shipledger-dev-" + ToHex(suffix);
  } else if (!IsName(spec.chain_id, IsChainIdChar)) {
    return Status::InvalidArgument("chain id '" + spec.chain_id +
                                   "': use 1 to 64 of [A-Za-z0-9._-]");
  }
  const std::string genesis_path = Join(options.out_dir, "genesis.yaml");
  if (internal::PathExists(genesis_path)) {
    return Status::FailedPrecondition(
        options.out_dir + " already holds a network; choose another --out or delete it");
  }

  const int64_t now_ms = clock.NowMs();
  const int64_t not_before_ms = now_ms - kBackdateMs;
  const int64_t not_after_ms = now_ms + options.validity_days * kDayMs;
  for (const OrgSpec& org : options.orgs) {
    const std::string org_dir = Join(options.out_dir, org.name);
    SL_ASSIGN_OR_RETURN(crypto::PrivateKey ca_key, crypto::PrivateKey::Generate());
    crypto::IssueOptions ca_options;
    ca_options.kind = crypto::CertKind::kCa;
    ca_options.organization = org.name;
    ca_options.common_name = org.name + " CA";
    ca_options.not_before_ms = not_before_ms;
    ca_options.not_after_ms = not_after_ms;
    SL_ASSIGN_OR_RETURN(ca_options.serial, RandomSerial());
    SL_ASSIGN_OR_RETURN(crypto::Certificate ca_cert,
                        crypto::IssueCaCertificate(ca_key, ca_options));
    const Identity ca{std::move(ca_cert), std::move(ca_key)};
    SL_RETURN_IF_ERROR(WriteIdentity(Join(org_dir, "ca"), ca.cert, ca.key));

    SL_ASSIGN_OR_RETURN(const crypto::PrivateKey encryption_key, crypto::PrivateKey::Generate());
    SL_RETURN_IF_ERROR(internal::WriteFileAtomic(Join(org_dir, "ca", "encryption_key.pem"),
                                                 encryption_key.ToPem(),
                                                 internal::kPrivateFileMode));

    SL_ASSIGN_OR_RETURN(const Identity admin, IssueIdentity(ca, crypto::CertKind::kClient, "admin",
                                                            not_before_ms, not_after_ms, true));
    SL_RETURN_IF_ERROR(WriteIdentity(Join(org_dir, "clients", "admin"), admin.cert, admin.key));
    spec.organisations.push_back(
        {org.name, org.role, ca.cert.ToPem(), encryption_key.public_key().ToPem()});

    if (org.client_only) continue;
    const auto replica_id = static_cast<uint32_t>(spec.replicas.size());
    const auto grpc_port = static_cast<uint16_t>(options.base_port + 2 * replica_id);
    const auto peer_port = static_cast<uint16_t>(grpc_port + 1);
    const auto hosts = options.hosts.find(org.name);
    const std::vector<std::string> names =
        hosts == options.hosts.end() ? std::vector<std::string>{} : hosts->second;
    // Reached at its first name; listening there when it is an address, else everywhere.
    const std::string host = names.empty() ? "127.0.0.1" : names.front();
    const std::string listen_host = crypto::IsIpAddress(host) ? host : "0.0.0.0";
    SL_ASSIGN_OR_RETURN(const Identity node,
                        IssueIdentity(ca, crypto::CertKind::kNode, org.name + "-node",
                                      not_before_ms, not_after_ms, false, names));
    const std::string node_dir = Join(org_dir, "node");
    SL_RETURN_IF_ERROR(WriteIdentity(node_dir, node.cert, node.key));
    SL_RETURN_IF_ERROR(internal::WriteFileAtomic(
        Join(node_dir, "node.yaml"),
        RenderNodeConfig(replica_id, org.name, listen_host, grpc_port, peer_port),
        internal::kPublicFileMode));
    spec.replicas.push_back({replica_id, org.name, JoinHostPort(host, grpc_port),
                             JoinHostPort(host, peer_port), node.cert.ToPem()});
  }
  spec.role_policy = model::DefaultRolePolicy();
  spec.consensus = options.consensus;

  // Check our own output before publishing it: genesis.yaml appears only when it is valid.
  const std::string text = RenderGenesis(spec);
  if (auto parsed = ParseGenesis(text); !parsed.ok()) {
    return Status::Internal("generated genesis is invalid: " + parsed.status().message());
  }
  return internal::WriteFileAtomic(genesis_path, text, internal::kPublicFileMode);
}

Status IssueClientIdentity(const std::string& org_dir, const std::string& name, const Clock& clock,
                           int64_t validity_days, bool admin) {
  if (!IsName(name, IsClientNameChar)) {
    return Status::InvalidArgument("client name '" + name + "': use 1 to 64 of [a-zA-Z0-9_-]");
  }
  if (validity_days < 1 || validity_days > kMaxValidityDays) {
    return Status::InvalidArgument("validity_days must be 1.." + std::to_string(kMaxValidityDays));
  }
  const std::string dir = Join(org_dir, "clients", name);
  if (internal::PathExists(Join(dir, "cert.pem")) || internal::PathExists(Join(dir, "key.pem"))) {
    return Status::AlreadyExists("client '" + name + "' already exists in " + dir);
  }
  SL_ASSIGN_OR_RETURN(const Identity ca, LoadIdentity(Join(org_dir, "ca")));
  if (!ca.cert.is_ca()) {
    return Status::FailedPrecondition(Join(org_dir, "ca", "cert.pem") + " is not a CA certificate");
  }
  const int64_t now_ms = clock.NowMs();
  // Never outside the CA's own validity: such a certificate could not verify anyway.
  const int64_t not_before_ms = std::max(now_ms - kBackdateMs, ca.cert.not_before_ms());
  const int64_t not_after_ms = std::min(now_ms + validity_days * kDayMs, ca.cert.not_after_ms());
  if (now_ms >= ca.cert.not_after_ms() || not_after_ms <= not_before_ms) {
    return Status::FailedPrecondition("the CA certificate of '" + ca.cert.organization() +
                                      "' is not valid now; it cannot issue certificates");
  }
  SL_ASSIGN_OR_RETURN(const Identity client, IssueIdentity(ca, crypto::CertKind::kClient, name,
                                                           not_before_ms, not_after_ms, admin));
  return SaveIdentity(dir, client.cert, client.key);
}

Status ParseHosts(std::string_view text, std::map<std::string, std::vector<std::string>>* hosts) {
  const size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return Status::InvalidArgument("--host '" + std::string(text) +
                                   "': expected ORG=NAME[,NAME...], e.g. exporter=node0.example");
  }
  const std::string org(text.substr(0, eq));
  std::vector<std::string> names;
  std::string_view rest = text.substr(eq + 1);
  while (true) {
    const size_t comma = rest.find(',');
    const std::string name(rest.substr(0, comma));
    if (!crypto::IsCertificateHost(name)) {
      return Status::InvalidArgument("--host " + org + ": '" + name +
                                     "' is neither an IP address nor a DNS name");
    }
    names.push_back(name);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (!hosts->emplace(org, std::move(names)).second) {
    return Status::InvalidArgument("--host " + org +
                                   " is given twice; list its names once, "
                                   "separated by commas");
  }
  return Status::Ok();
}

}  // namespace shipledger::config
