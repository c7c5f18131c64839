// Identities on disk: a folder with cert.pem and key.pem (a client or a node), and a CA folder.
#pragma once

#include <string>

#include "crypto/ecdsa.h"
#include "crypto/x509.h"
#include "shipledger/status.h"

namespace shipledger::config {

struct Identity {
  crypto::Certificate cert;
  crypto::PrivateKey key;
  std::string org() const { return cert.organization(); }
};

// Loads DIR/cert.pem and DIR/key.pem; INVALID_ARGUMENT if the key does not match the cert,
// NOT_FOUND ("no identity in DIR: cert.pem missing") if absent.
Result<Identity> LoadIdentity(const std::string& dir);
// Writes DIR/cert.pem and DIR/key.pem (key mode 0600), creating DIR.
// ALREADY_EXISTS if DIR already holds an identity.
Status SaveIdentity(const std::string& dir, const crypto::Certificate& cert,
                    const crypto::PrivateKey& key);

}  // namespace shipledger::config
