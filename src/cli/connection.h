// How the CLI and other clients reach a node's client API (DESIGN §8): TLS, authenticated by a
// client certificate of a genesis organisation, the node's certificate checked against the
// node certificates the genesis pins.
// Thread-safety: free functions over values.
#pragma once

#include <grpcpp/security/credentials.h>

#include <memory>
#include <string>

#include "cli/client.h"
#include "config/identity.h"
#include "model/genesis.h"
#include "shipledger/status.h"

namespace shipledger::cli {

// TLS credentials presenting `identity`. The node must present a certificate that chains to a
// genesis organisation CA and whose fingerprint the genesis pins (DESIGN §3): the one of the
// replica whose client endpoint is `target`, or, dialled by another address (or no `target`),
// that of any replica. Any other certificate fails the handshake, saying so.
std::shared_ptr<grpc::ChannelCredentials> ClientApiCredentials(const config::Identity& identity,
                                                               const model::Genesis& genesis,
                                                               const std::string& target = "");

struct ConnectOptions {
  std::string identity_dir;  // client identity (cert.pem, key.pem)
  // The network's genesis.yaml. Default: the genesis.yaml three folders above identity_dir,
  // where `network init` puts it (NET/ORG/clients/NAME -> NET/genesis.yaml).
  std::string genesis_path;
  bool insecure = false;  // DEVELOPMENT ONLY: plaintext, for nodes with insecure_client_api
};

// Credentials from files. INVALID_ARGUMENT saying which flag or variable to set when there is
// no identity (unless insecure), the identity or the genesis does not load.
Result<std::shared_ptr<grpc::ChannelCredentials>> LoadClientApiCredentials(
    const ConnectOptions& options, const std::string& target = "");

// Where LoadClientApiCredentials looks for the genesis: options.genesis_path, else the default.
std::string GenesisPathFor(const ConnectOptions& options);

// A client of the node at `target` with the credentials of `options`.
Result<std::unique_ptr<NodeClient>> Connect(const std::string& target,
                                            const ConnectOptions& options);

}  // namespace shipledger::cli
