#include "net/tls.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>

namespace shipledger::net {

namespace ssl = boost::asio::ssl;

Result<std::shared_ptr<ssl::context>> MakeTlsContext(const crypto::Certificate& cert,
                                                     const crypto::PrivateKey& key) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls);
  SSL_CTX* native = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) != 1) {
    return Status::Internal("cannot restrict the TLS context to TLS 1.3");
  }
  // Every connection authenticates afresh against the genesis: no resumption.
  SSL_CTX_set_options(native, SSL_OP_NO_TICKET);
  SSL_CTX_set_num_tickets(native, 0);
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);

  boost::system::error_code ec;
  const std::string cert_pem = cert.ToPem();
  ctx->use_certificate(boost::asio::buffer(cert_pem), ssl::context::pem, ec);
  if (ec) return Status::InvalidArgument("TLS certificate: " + ec.message());
  const std::string key_pem = key.ToPem();
  ctx->use_private_key(boost::asio::buffer(key_pem), ssl::context::pem, ec);
  if (ec) return Status::InvalidArgument("TLS private key: " + ec.message());
  if (!cert.MatchesKey(key)) {
    return Status::InvalidArgument("TLS private key does not match the node certificate");
  }
  ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert, ec);
  if (ec) return Status::Internal("TLS verify mode: " + ec.message());
  return ctx;
}

Result<uint32_t> AuthenticatePeer(const model::Genesis& genesis, const crypto::Certificate& peer,
                                  int64_t now_ms, std::optional<uint32_t> expected) {
  const model::Replica* replica = genesis.FindReplicaByFingerprint(peer.fingerprint());
  if (replica == nullptr) {
    return Status::PermissionDenied("certificate " + ToHex(peer.fingerprint()).substr(0, 16) +
                                    " (CN=" + peer.common_name() + ", O=" + peer.organization() +
                                    ") is not pinned for any replica");
  }
  if (expected.has_value() && replica->id != *expected) {
    return Status::PermissionDenied("dialled replica " + std::to_string(*expected) +
                                    " but the peer presented the certificate of replica " +
                                    std::to_string(replica->id));
  }
  const model::Organisation* org = genesis.FindOrganisation(replica->org);
  if (org == nullptr) {
    return Status::PermissionDenied("replica " + std::to_string(replica->id) +
                                    " belongs to unknown organisation " + replica->org);
  }
  SL_RETURN_IF_ERROR(crypto::VerifyChain(peer, org->ca_cert, now_ms)
                         .WithContext("replica " + std::to_string(replica->id)));
  return replica->id;
}

Result<crypto::Certificate> CertificateFromX509(X509* x509) {
  if (x509 == nullptr) return Status::InvalidArgument("no peer certificate");
  unsigned char* der = nullptr;
  const int length = i2d_X509(x509, &der);
  if (length <= 0 || der == nullptr) return Status::InvalidArgument("peer certificate: bad DER");
  Bytes bytes(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return crypto::Certificate::FromDer(bytes);
}

}  // namespace shipledger::net
