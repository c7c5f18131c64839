// Mutual TLS 1.3 between replicas (DESIGN §3): the context that presents this node's
// certificate, and the check that decides who a peer is. A peer is a replica only when its
// certificate is the one the genesis pins for that replica AND chains to the CA of that
// replica's organisation; a client certificate (never pinned) is never a peer.
// Thread-safety: free functions; the context is shared read-only by every connection.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <optional>

#include "crypto/ecdsa.h"
#include "crypto/x509.h"
#include "model/genesis.h"
#include "shipledger/status.h"

namespace shipledger::net {

// A TLS 1.3-only context (no session tickets) that presents `cert` with `key` and requests a
// certificate from the peer on both sides. It trusts nothing by itself: every stream installs a
// verify callback that calls AuthenticatePeer. INVALID_ARGUMENT when OpenSSL refuses the PEM
// or the key does not match the certificate.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeTlsContext(const crypto::Certificate& cert,
                                                                  const crypto::PrivateKey& key);

// The replica id that `peer` authenticates as. PERMISSION_DENIED, with the reason, when its
// SHA-256 fingerprint is pinned for no replica, when it does not chain to the CA of that
// replica's organisation at `now_ms` (crypto::VerifyChain), or when `expected` is set and the
// certificate is pinned for another replica (the dialled replica must present its own pin).
Result<uint32_t> AuthenticatePeer(const model::Genesis& genesis, const crypto::Certificate& peer,
                                  int64_t now_ms, std::optional<uint32_t> expected);

// The certificate OpenSSL holds as `x509` (re-parsed from its DER). INVALID_ARGUMENT if null or
// malformed.
Result<crypto::Certificate> CertificateFromX509(X509* x509);

}  // namespace shipledger::net
