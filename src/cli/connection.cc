#include "cli/connection.h"

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_certificate_verifier.h>
#include <grpcpp/security/tls_credentials_options.h>

#include <filesystem>
#include <functional>
#include <set>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/private_fields.h"
#include "config/genesis_file.h"
#include "crypto/x509.h"

namespace shipledger::cli {

namespace {

// Accepts the node's certificate only when the genesis pins its fingerprint for the replica
// dialled (DESIGN §3): a certificate an organisation CA issued to anything else — a client, a
// member's spare node certificate — is refused, so a member with a network position cannot
// pose as another member's node.
class PinnedNodeVerifier : public grpc::experimental::ExternalCertificateVerifier {
 public:
  PinnedNodeVerifier(std::set<Bytes> pinned, std::string whom)
      : pinned_(std::move(pinned)), whom_(std::move(whom)) {}

  bool Verify(grpc::experimental::TlsCustomVerificationCheckRequest* request,
              std::function<void(grpc::Status)> /*callback*/, grpc::Status* sync_status) override {
    const grpc::string_ref pem = request->peer_cert();
    auto cert = crypto::Certificate::FromPem(std::string_view(pem.data(), pem.size()));
    if (!cert.ok()) {
      *sync_status =
          grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                       "the node's certificate does not parse: " + cert.status().message());
    } else if (pinned_.count(cert->fingerprint()) == 0) {
      *sync_status = grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                  "the node's certificate (" + cert->common_name() +
                                      ", fingerprint " + ToHex(cert->fingerprint()).substr(0, 16) +
                                      "…) is not the one the genesis pins for " + whom_);
    } else {
      *sync_status = grpc::Status::OK;
    }
    return true;  // decided synchronously
  }
  void Cancel(grpc::experimental::TlsCustomVerificationCheckRequest* /*request*/) override {}

 private:
  const std::set<Bytes> pinned_;
  const std::string whom_;
};

}  // namespace

std::shared_ptr<grpc::ChannelCredentials> ClientApiCredentials(const config::Identity& identity,
                                                               const model::Genesis& genesis,
                                                               const std::string& target) {
  std::set<Bytes> pinned;
  std::string whom;
  for (const model::Replica& r : genesis.replicas) {
    if (!target.empty() && r.grpc_endpoint == target) {
      pinned = {r.node_cert.fingerprint()};
      whom = "replica " + std::to_string(r.id) + " (" + r.org + ") at " + target;
      break;
    }
    pinned.insert(r.node_cert.fingerprint());
    whom = "any replica";
  }
  namespace exp = grpc::experimental;
  auto provider = std::make_shared<exp::StaticDataCertificateProvider>(
      model::OrganisationRootsPem(genesis),
      std::vector<exp::IdentityKeyCertPair>{{identity.key.ToPem(), identity.cert.ToPem()}});
  exp::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(provider);
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  options.set_verify_server_certs(true);  // the chain to an organisation CA, then the pin
  options.set_certificate_verifier(
      exp::ExternalCertificateVerifier::Create<PinnedNodeVerifier>(std::move(pinned), whom));
  options.set_check_call_host(false);  // the pin identifies the node, not its host name
  return exp::TlsCredentials(options);
}

std::string GenesisPathFor(const ConnectOptions& options) {
  if (!options.genesis_path.empty() || options.identity_dir.empty()) return options.genesis_path;
  const std::string guess = DefaultGenesisPath(options.identity_dir);
  std::error_code ec;
  return std::filesystem::exists(guess, ec) ? guess : std::string();
}

Result<std::shared_ptr<grpc::ChannelCredentials>> LoadClientApiCredentials(
    const ConnectOptions& options, const std::string& target) {
  if (options.insecure) return grpc::InsecureChannelCredentials();
  if (options.identity_dir.empty()) {
    return Status::InvalidArgument(
        "the node's client API admits only clients with a certificate: give --identity DIR (a "
        "folder with cert.pem and key.pem, e.g. NET/ORG/clients/admin) or set "
        "SHIPLEDGER_IDENTITY");
  }
  auto identity = config::LoadIdentity(options.identity_dir);
  if (!identity.ok()) return identity.status().WithContext("--identity " + options.identity_dir);
  const std::string genesis_path = GenesisPathFor(options);
  if (genesis_path.empty()) {
    return Status::InvalidArgument(
        "no genesis to check the node's certificate against: give --genesis NET/genesis.yaml "
        "or set SHIPLEDGER_GENESIS (found none three folders above " +
        options.identity_dir + ")");
  }
  auto genesis = config::LoadGenesis(genesis_path);
  if (!genesis.ok()) return genesis.status().WithContext("--genesis " + genesis_path);
  return ClientApiCredentials(*identity, **genesis, target);
}

Result<std::unique_ptr<NodeClient>> Connect(const std::string& target,
                                            const ConnectOptions& options) {
  SL_ASSIGN_OR_RETURN(auto credentials, LoadClientApiCredentials(options, target));
  return std::make_unique<NodeClient>(target, std::move(credentials));
}

Result<std::unique_ptr<NodeClient>> ConnectToNode(const GlobalOptions& global) {
  return Connect(global.node, global.connect);
}

}  // namespace shipledger::cli
