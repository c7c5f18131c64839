// Development network set-up (`shipledger network init`, `shipledger identity issue`).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/genesis.h"
#include "shipledger/clock.h"
#include "shipledger/status.h"

namespace shipledger::config {

struct OrgSpec {
  std::string name;
  model::Role role = model::Role::kExporter;
  bool client_only = false;  // ":client": runs no node
};

// Parses "NAME:ROLE[:client][,...]". INVALID_ARGUMENT with the offending item on error
// (bad name charset [a-z0-9-], unknown role, duplicate name, no organisation with a node).
Result<std::vector<OrgSpec>> ParseOrgSpecs(std::string_view text);

struct InitOptions {
  std::string out_dir;
  std::vector<OrgSpec> orgs;
  uint16_t base_port = 7050;  // Default: 7050; node i gets grpc base+2i, peer base+2i+1
  std::string chain_id;       // Default: "shipledger-dev-<8 random hex>"
  int64_t validity_days = 3650;
  // The genesis consensus parameters (n is the number of node organisations). Default: the
  // model::ConsensusParams defaults; tests shorten view_timeout_ms so view changes are quick.
  model::ConsensusParams consensus;
  // Per node organisation, the host names and IP addresses its node is reached at (ParseHosts).
  // The first is the one the genesis endpoints name; all go into the node certificate (beside
  // localhost and 127.0.0.1). When the first is an IP address the node listens and dials from
  // it; a name makes it listen on every address (0.0.0.0). Default: none = 127.0.0.1.
  std::map<std::string, std::vector<std::string>> hosts;
};

// Parses one "ORG=NAME[,NAME...]" (network init --host) into `hosts`. INVALID_ARGUMENT naming
// what is wrong: no '=', an empty list, a name that is neither an IP address nor a DNS name
// (crypto::IsCertificateHost), or an organisation given twice.
Status ParseHosts(std::string_view text, std::map<std::string, std::vector<std::string>>* hosts);

// Writes OUT/genesis.yaml, OUT/NAME/ca/{cert.pem,key.pem,encryption_key.pem},
// OUT/NAME/clients/admin/{cert.pem,key.pem} (an admin: OU=admin), and for organisations with a node
// OUT/NAME/node/{cert.pem,key.pem,node.yaml}. FAILED_PRECONDITION if OUT/genesis.yaml exists.
Status InitNetwork(const InitOptions& options, const Clock& clock);

// Issues a client identity into ORG_DIR/clients/NAME/ using ORG_DIR/ca/; `admin`: with OU=admin
// (an organisation admin, who may revoke the organisation's certificates: DESIGN §3).
Status IssueClientIdentity(const std::string& org_dir, const std::string& name, const Clock& clock,
                           int64_t validity_days = 365, bool admin = false);

}  // namespace shipledger::config
