#include "cli/connection.h"

#include <filesystem>

#include "cli/commands.h"
#include "cli/private_fields.h"
#include "config/genesis_file.h"

namespace shipledger::cli {

std::shared_ptr<grpc::ChannelCredentials> ClientApiCredentials(const config::Identity& identity,
                                                               const model::Genesis& genesis) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = model::OrganisationRootsPem(genesis);
  ssl.pem_private_key = identity.key.ToPem();
  ssl.pem_cert_chain = identity.cert.ToPem();
  return grpc::SslCredentials(ssl);
}

std::string GenesisPathFor(const ConnectOptions& options) {
  if (!options.genesis_path.empty() || options.identity_dir.empty()) return options.genesis_path;
  const std::string guess = DefaultGenesisPath(options.identity_dir);
  std::error_code ec;
  return std::filesystem::exists(guess, ec) ? guess : std::string();
}

Result<std::shared_ptr<grpc::ChannelCredentials>> LoadClientApiCredentials(
    const ConnectOptions& options) {
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
        "or set SHIPLEDGER_GENESIS (found none three folders above " + options.identity_dir +
        ")");
  }
  auto genesis = config::LoadGenesis(genesis_path);
  if (!genesis.ok()) return genesis.status().WithContext("--genesis " + genesis_path);
  return ClientApiCredentials(*identity, **genesis);
}

Result<std::unique_ptr<NodeClient>> Connect(const std::string& target,
                                            const ConnectOptions& options) {
  SL_ASSIGN_OR_RETURN(auto credentials, LoadClientApiCredentials(options));
  return std::make_unique<NodeClient>(target, std::move(credentials));
}

Result<std::unique_ptr<NodeClient>> ConnectToNode(const GlobalOptions& global) {
  return Connect(global.node, global.connect);
}

}  // namespace shipledger::cli
