// Private fields on the command line (DESIGN §4): `event submit --private NAME=VALUE --readers
// ORG,...` seals them for the readers' genesis encryption keys; `event show --identity DIR`
// opens them with the identity organisation's encryption private key.
// Thread-safety: free functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "cli/json.h"
#include "model/private_fields.h"
#include "shipledger/status.h"
#include "shipledger/v1/ledger.pb.h"

namespace shipledger::cli {

// Where `network init` puts the genesis relative to a client identity OUT/ORG/clients/NAME:
// OUT/genesis.yaml.
std::string DefaultGenesisPath(const std::string& identity_dir);
// Where `network init` puts an organisation's encryption private key relative to a client
// identity OUT/ORG/clients/NAME: OUT/ORG/ca/encryption_key.pem.
std::string DefaultEncryptionKeyPath(const std::string& identity_dir);

// Seals `private_flags` (NAME=VALUE) into `event` for its signer's organisation and `readers`,
// using the encryption keys of the genesis at `genesis_path`, which must be the node's
// (`chain` is the node's GetChainInfo). REQUIRES: event has chain id, shipment id, signer org
// and nonce. INVALID_ARGUMENT on a malformed flag, an unknown reader, an event that already
// has private fields, or a genesis of another network; the genesis loader's error when it
// does not load.
Status AddPrivateFields(v1::Event* event, const std::vector<std::string>& private_flags,
                        const std::vector<std::string>& readers, const std::string& genesis_path,
                        const v1::ChainInfo& chain);

// The encryption private key of `org` from `key_path`, or by default from
// DefaultEncryptionKeyPath(identity_dir) (FAILED_PRECONDITION saying to give --encryption-key
// when it is not there).
Result<crypto::PrivateKey> LoadEncryptionKey(const std::string& identity_dir,
                                             const std::string& key_path, const std::string& org);

// What `event show` prints about an event's private fields.
struct PrivateFieldsView {
  std::vector<std::pair<std::string, std::string>> rows;  // for PrintFields
  JsonObject json;
  bool fraud = false;  // a field does not match its commitment
};

// Without `identity_dir`: names and "encrypted". With it: the fields decrypted with the
// encryption key at `key_path` (default DefaultEncryptionKeyPath), or "N private fields (not a
// reader)". Errors loading the identity or the key, or unwrapping, are returned.
Result<PrivateFieldsView> ViewPrivateFields(const v1::Event& event, const std::string& identity_dir,
                                            const std::string& key_path);

}  // namespace shipledger::cli
