// `network init` and `identity issue`: development network set-up on disk.
#include <filesystem>

#include "cli/commands.h"
#include "cli/json.h"
#include "cli/output.h"
#include "config/genesis_file.h"
#include "config/identity.h"
#include "config/network.h"
#include "model/admin.h"
#include "shipledger/bytes.h"
#include "shipledger/clock.h"

namespace shipledger::cli {

namespace {

std::string PathIn(const std::string& dir, std::initializer_list<std::string_view> parts) {
  std::filesystem::path p(dir);
  for (auto part : parts) p /= part;
  return p.string();
}

}  // namespace

int RunNetworkInit(const GlobalOptions& global, const NetworkInitOptions& options, const Io& io) {
  auto specs = config::ParseOrgSpecs(options.orgs);
  if (!specs.ok()) {
    return ReportError(io,
                       Status(specs.status().code(), "--orgs: " + specs.status().message() +
                                                         " (expected NAME:ROLE[:client],..., e.g. "
                                                         "acme:exporter,dhl:forwarder:client)"));
  }
  config::InitOptions init;
  init.out_dir = options.out_dir;
  init.orgs = *specs;
  init.base_port = options.base_port;
  init.chain_id = options.chain_id;
  for (const std::string& host : options.hosts) {
    if (Status hs = config::ParseHosts(host, &init.hosts); !hs.ok()) return ReportError(io, hs);
  }
  if (options.view_timeout_ms != 0) init.consensus.view_timeout_ms = options.view_timeout_ms;
  if (options.batch_timeout_ms != 0) init.consensus.batch_timeout_ms = options.batch_timeout_ms;
  if (options.checkpoint_interval != 0) {
    init.consensus.checkpoint_interval = options.checkpoint_interval;
  }
  Status s = config::InitNetwork(init, SystemClock::Get());
  if (!s.ok()) {
    if (s.code() == Code::kFailedPrecondition) {
      return ReportError(io, s.WithContext("cannot initialise " + options.out_dir +
                                           " (choose another --out or remove the old network)"));
    }
    return ReportError(io, s.WithContext("cannot initialise " + options.out_dir));
  }
  const std::string genesis_path = PathIn(options.out_dir, {"genesis.yaml"});
  auto genesis = config::LoadGenesis(genesis_path);
  if (!genesis.ok()) {
    return ReportError(io, genesis.status().WithContext("network written, but " + genesis_path +
                                                        " does not read back"));
  }
  const model::Genesis& g = **genesis;

  std::vector<google::protobuf::Value> orgs_json;
  TextTable orgs_text;
  std::vector<std::string> node_configs;
  for (const config::OrgSpec& org : *specs) {
    const std::string dir = PathIn(options.out_dir, {org.name});
    const std::string admin = PathIn(dir, {"clients", "admin"});
    JsonObject o;
    o.Set("name", std::string_view(org.name));
    o.Set("role", model::RoleName(org.role));
    o.SetBool("runs_node", !org.client_only);
    o.Set("ca_dir", std::string_view(PathIn(dir, {"ca"})));
    o.Set("admin_identity", std::string_view(admin));
    std::string node_text = "client only (submits through another organisation's node)";
    if (!org.client_only) {
      const std::string node_config = PathIn(dir, {"node", "node.yaml"});
      std::string endpoint;
      for (const auto& r : g.replicas) {
        if (r.org == org.name) endpoint = r.grpc_endpoint;
      }
      o.Set("node_config", std::string_view(node_config));
      o.Set("grpc_endpoint", std::string_view(endpoint));
      node_text = "node " + endpoint + ", config " + node_config;
      node_configs.push_back(node_config);
    }
    orgs_text.AddRow({org.name, std::string(model::RoleName(org.role)), admin, node_text});
    orgs_json.push_back(o.ToValue());
  }

  if (global.json) {
    JsonObject doc;
    doc.Set("out_dir", std::string_view(options.out_dir));
    doc.Set("chain_id", std::string_view(g.chain_id));
    doc.Set("genesis", std::string_view(genesis_path));
    doc.SetHex("genesis_hash", g.hash);
    doc.Set("organisations", JsonList(orgs_json));
    PrintJson(io.out, doc);
    return kExitOk;
  }
  io.out << "network '" << g.chain_id << "' written to " << options.out_dir << "\n"
         << "genesis " << genesis_path << " (hash " << ToHex(g.hash) << ")\n"
         << "organisations (name, role, admin identity, node):\n";
  orgs_text.Print(io.out, "  ");
  io.out << "each organisation's CA is in DIR/NAME/ca/; more client identities with:\n"
         << "  shipledger identity issue --org-dir " << PathIn(options.out_dir, {"NAME"})
         << " --name N\n"
         << "start the node" << (node_configs.size() > 1 ? "s" : "") << " with:\n";
  for (const auto& c : node_configs) io.out << "  shipledgerd --config " << c << "\n";
  return kExitOk;
}

int RunIdentityIssue(const GlobalOptions& global, const IdentityIssueOptions& options,
                     const Io& io) {
  Status s = config::IssueClientIdentity(options.org_dir, options.name, SystemClock::Get(),
                                         options.validity_days, options.admin);
  if (!s.ok()) {
    return ReportError(
        io, s.WithContext("cannot issue identity '" + options.name + "' in " + options.org_dir));
  }
  const std::string dir = PathIn(options.org_dir, {"clients", options.name});
  auto identity = config::LoadIdentity(dir);
  if (!identity.ok()) {
    return ReportError(io, identity.status().WithContext("identity written to " + dir +
                                                         " but does not read back"));
  }
  if (global.json) {
    JsonObject doc;
    doc.Set("identity", std::string_view(dir));
    doc.Set("organisation", std::string_view(identity->org()));
    doc.Set("name", std::string_view(identity->cert.common_name()));
    doc.Set("not_after", std::string_view(FormatTimeMs(identity->cert.not_after_ms())));
    doc.SetHex("fingerprint", identity->cert.fingerprint());
    doc.SetBool("admin", model::IsAdminCertificate(identity->cert));
    PrintJson(io.out, doc);
    return kExitOk;
  }
  io.out << "issued " << (model::IsAdminCertificate(identity->cert) ? "admin " : "")
         << "client identity '" << identity->cert.common_name() << "' of organisation '"
         << identity->org() << "' in " << dir << " (cert.pem, key.pem), valid until "
         << FormatTimeMs(identity->cert.not_after_ms()) << "\n"
         << "fingerprint " << ToHex(identity->cert.fingerprint()) << "\n"
         << "use it with: shipledger event submit --identity " << dir << " ...\n";
  return kExitOk;
}

}  // namespace shipledger::cli
