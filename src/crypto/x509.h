// X.509 certificates for organisations (CA), nodes and clients (DESIGN §3): issue, parse, and
// check a certificate's chain to its organisation CA. All keys are ECDSA P-256.
// Thread-safety: Certificate is immutable and may be shared between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "crypto/ecdsa.h"
#include "shipledger/bytes.h"
#include "shipledger/status.h"

typedef struct x509_st X509;  // NOLINT: OpenSSL's own forward declaration

namespace shipledger::crypto {

enum class CertKind { kCa, kNode, kClient };

class Certificate {
 public:
  // INVALID_ARGUMENT when the bytes are not one well-formed X.509 certificate.
  static Result<Certificate> FromDer(ByteView der);
  static Result<Certificate> FromPem(std::string_view pem);

  const Bytes& der() const { return der_; }
  std::string ToPem() const;
  // SHA-256 of the DER encoding with the signature's S normalised low (32 raw bytes): how the
  // genesis pins, revocations name and caches key certificates. For a certificate signed low-S
  // (as shipledger issues them) it is the plain SHA-256 of the DER; a high-S certificate and its
  // low-S twin (the same certificate, with the signature anyone can derive) share it.
  const Bytes& fingerprint() const { return fingerprint_; }
  std::string common_name() const;   // subject CN
  std::string organization() const;  // subject O: the organisation id
  // Every subject OU, in order (OU=admin marks an organisation admin, DESIGN §3).
  std::vector<std::string> organizational_units() const;
  bool is_ca() const;  // basicConstraints CA:TRUE
  int64_t not_before_ms() const;
  int64_t not_after_ms() const;
  // The certificate's public key. INVALID_ARGUMENT unless P-256.
  Result<PublicKey> public_key() const;
  // Whether `key` is the private key of this certificate's public key: the one check of a key
  // file against its certificate (identities, node keys, TLS, CA keys).
  bool MatchesKey(const PrivateKey& key) const;

  X509* raw() const { return x509_.get(); }

 private:
  Certificate(std::shared_ptr<X509> x509, Bytes der);
  std::shared_ptr<X509> x509_;
  Bytes der_;
  Bytes fingerprint_;
};

struct IssueOptions {
  CertKind kind = CertKind::kClient;
  std::string organization;         // subject O (organisation id)
  std::string common_name;          // subject CN
  std::string organizational_unit;  // subject OU; empty: none
  int64_t not_before_ms = 0;
  int64_t not_after_ms = 0;
  uint64_t serial = 1;  // Default: 1; callers pass a random serial
  // Node certificates: the host names and IP addresses it serves under (subjectAltName), beside
  // localhost and 127.0.0.1, which every node certificate names.
  std::vector<std::string> hosts;
};

// Whether `host` may go into a certificate: an IPv4 or IPv6 address, or a DNS name of labels of
// [a-zA-Z0-9-] (not starting or ending with '-') joined by dots, at most 253 characters.
bool IsCertificateHost(std::string_view host);
// Whether `host` is an IPv4 or IPv6 address (without brackets).
bool IsIpAddress(const std::string& host);

// A self-signed CA certificate (CA:TRUE, keyCertSign) for `key`.
Result<Certificate> IssueCaCertificate(const PrivateKey& key, const IssueOptions& options);
// A certificate for `subject` signed by the CA (CA:FALSE; node certificates also carry
// serverAuth+clientAuth for mutual TLS, client certificates clientAuth).
Result<Certificate> IssueCertificate(const Certificate& ca_cert, const PrivateKey& ca_key,
                                     const PublicKey& subject, const IssueOptions& options);

// OK when `leaf` is signed by `ca`, names `ca`'s subject as issuer, is not a CA itself, carries
// the same organisation (O) as `ca`, and is valid at `at_ms` (Unix ms). PERMISSION_DENIED with
// the reason otherwise (e.g. "certificate expired at 2026-01-01T00:00:00Z"). Also required:
// `ca` is CA:TRUE and itself valid at `at_ms`; the leaf is signed ecdsa-with-SHA256 with a
// strict-DER signature, either S (X.509's business, not ours), over a P-256 key.
Status VerifyChain(const Certificate& leaf, const Certificate& ca, int64_t at_ms);

// Reads a file's contents; NOT_FOUND / INTERNAL with the path in the message.
Result<std::string> ReadFile(const std::string& path);

}  // namespace shipledger::crypto
