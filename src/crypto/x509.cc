#include "crypto/x509.h"

#include <arpa/inet.h>
#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "crypto/openssl_util.h"
#include "crypto/sha256.h"

namespace shipledger::crypto {

using internal::BioContents;
using internal::MemBio;
using internal::ShareX509;
using internal::TakeOpenSslError;
using internal::UniqueBio;
using internal::UniqueX509;

namespace {

// Certificates carry a chain of one plus extensions; anything far larger is not ours.
constexpr size_t kMaxCertInput = 64 * 1024;
constexpr int64_t kMsPerSecond = 1000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// "2026-01-01T00:00:00Z" (with ".123" when the time has milliseconds).
std::string IsoTime(int64_t ms) {
  const time_t secs = static_cast<time_t>(FloorDiv(ms, kMsPerSecond));
  const int64_t frac = ms - FloorDiv(ms, kMsPerSecond) * kMsPerSecond;
  std::tm tm{};
  if (gmtime_r(&secs, &tm) == nullptr) return std::to_string(ms) + "ms";
  char buf[64];
  const size_t n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf, n);
  if (frac != 0) {
    char fbuf[8];
    std::snprintf(fbuf, sizeof(fbuf), ".%03d", static_cast<int>(frac));
    out += fbuf;
  }
  return out + "Z";
}

// Unix ms of an ASN1_TIME (second precision).
int64_t TimeMs(const ASN1_TIME* t) {
  if (t == nullptr) return 0;
  int days = 0;
  int secs = 0;
  internal::UniqueAsn1Time epoch(ASN1_TIME_set(nullptr, 0));
  SHIPLEDGER_CHECK(epoch != nullptr);
  if (ASN1_TIME_diff(&days, &secs, epoch.get(), t) != 1) {
    TakeOpenSslError();
    return 0;
  }
  return (static_cast<int64_t>(days) * 86400 + secs) * kMsPerSecond;
}

std::string NameEntry(const X509_NAME* name, int nid) {
  const int idx = X509_NAME_get_index_by_NID(name, nid, -1);
  if (idx < 0) return {};
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) {
    TakeOpenSslError();
    return {};
  }
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

// RFC 2253 text of a name, for error messages.
std::string NameText(const X509_NAME* name) {
  UniqueBio bio(BIO_new(BIO_s_mem()));
  SHIPLEDGER_CHECK(bio != nullptr);
  if (X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return "?";
  return BioContents(bio.get());
}

Status AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  internal::UniqueX509Ext ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
  if (ext == nullptr || X509_add_ext(cert, ext.get(), -1) != 1) {
    return Status::Internal(std::string("adding extension ") + OBJ_nid2sn(nid) + "=" + value +
                            ": " + TakeOpenSslError());
  }
  return Status::Ok();
}

Status SetTime(ASN1_TIME* field, int64_t secs) {
  if (ASN1_TIME_set(field, static_cast<time_t>(secs)) == nullptr) {
    return Status::InvalidArgument("certificate time out of range: " + TakeOpenSslError());
  }
  return Status::Ok();
}

// Everything but the extensions and the signature. Validity has second precision in X.509;
// the period is rounded inwards (not_before up, not_after down) so a certificate is never
// valid outside the requested window.
Result<UniqueX509> NewCertificate(const PublicKey& subject_key, const X509_NAME* issuer,
                                  const IssueOptions& options) {
  if (options.organization.empty() || options.common_name.empty()) {
    return Status::InvalidArgument("certificate needs an organization and a common name");
  }
  if (options.serial == 0) return Status::InvalidArgument("certificate serial must be positive");
  const int64_t nb = -FloorDiv(-options.not_before_ms, kMsPerSecond);
  const int64_t na = FloorDiv(options.not_after_ms, kMsPerSecond);
  if (na < nb) {
    return Status::InvalidArgument("certificate not_after " + IsoTime(options.not_after_ms) +
                                   " is before not_before " + IsoTime(options.not_before_ms));
  }
  UniqueX509 cert(X509_new());
  if (cert == nullptr) return Status::Internal("X509_new: " + TakeOpenSslError());
  internal::UniqueX509Name subject(X509_NAME_new());
  if (subject == nullptr ||
      X509_NAME_add_entry_by_txt(
          subject.get(), "O", MBSTRING_UTF8,
          reinterpret_cast<const unsigned char*>(options.organization.data()),
          static_cast<int>(options.organization.size()), -1, 0) != 1 ||
      (!options.organizational_unit.empty() &&
       X509_NAME_add_entry_by_txt(
           subject.get(), "OU", MBSTRING_UTF8,
           reinterpret_cast<const unsigned char*>(options.organizational_unit.data()),
           static_cast<int>(options.organizational_unit.size()), -1, 0) != 1) ||
      X509_NAME_add_entry_by_txt(subject.get(), "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(options.common_name.data()),
                                 static_cast<int>(options.common_name.size()), -1, 0) != 1) {
    return Status::InvalidArgument("certificate subject: " + TakeOpenSslError());
  }
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), options.serial) != 1 ||
      X509_set_subject_name(cert.get(), subject.get()) != 1 ||
      X509_set_issuer_name(cert.get(), issuer != nullptr ? issuer : subject.get()) != 1 ||
      X509_set_pubkey(cert.get(), subject_key.raw()) != 1) {
    return Status::Internal("building certificate: " + TakeOpenSslError());
  }
  SL_RETURN_IF_ERROR(SetTime(X509_getm_notBefore(cert.get()), nb));
  SL_RETURN_IF_ERROR(SetTime(X509_getm_notAfter(cert.get()), na));
  return cert;
}

// Signs with ECDSA-SHA256. OpenSSL does not normalise S; signing repeats until S is low (half
// of all tries), so that the fingerprint of a certificate we issue is the plain SHA-256 of its
// DER, as `openssl x509 -fingerprint -sha256` prints it. VerifyChain accepts either S.
Result<Certificate> SignCertificate(UniqueX509 cert, const PrivateKey& key) {
  for (int attempt = 0; attempt < 128; ++attempt) {
    if (X509_sign(cert.get(), key.raw(), internal::Sha256Md()) <= 0) {
      return Status::Internal("signing certificate: " + TakeOpenSslError());
    }
    const ASN1_BIT_STRING* sig = nullptr;
    X509_get0_signature(&sig, nullptr, cert.get());
    auto parsed = internal::ParseCanonicalSignature(
        ByteView(reinterpret_cast<const char*>(ASN1_STRING_get0_data(sig)),
                 static_cast<size_t>(ASN1_STRING_length(sig))));
    if (!parsed.ok()) continue;
    unsigned char* buf = nullptr;
    const int len = i2d_X509(cert.get(), &buf);
    if (len <= 0) return Status::Internal("encoding certificate: " + TakeOpenSslError());
    Bytes der(reinterpret_cast<const char*>(buf), static_cast<size_t>(len));
    OPENSSL_free(buf);
    return Certificate::FromDer(der);
  }
  return Status::Internal("could not produce a low-S certificate signature");
}

}  // namespace

bool IsIpAddress(const std::string& host) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

bool IsCertificateHost(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  if (IsIpAddress(std::string(host))) return true;
  size_t start = 0;
  while (start <= host.size()) {
    const size_t dot = std::min(host.find('.', start), host.size());
    const std::string_view label = host.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    start = dot + 1;
  }
  return true;
}

// --- Certificate -------------------------------------------------------------------------

namespace {

// SHA-256 of the DER with the signature's S made low. (r, s) and (r, n - s) are both valid
// signatures of one certificate, and anyone can turn one into the other: the two encodings
// share one fingerprint, so that what the genesis pins and what a revocation names covers both.
Bytes CanonicalFingerprint(X509* x509, const Bytes& der) {
  const ASN1_BIT_STRING* sig = nullptr;
  X509_get0_signature(&sig, nullptr, x509);
  auto parsed = internal::ParseDerSignature(
      ByteView(reinterpret_cast<const char*>(ASN1_STRING_get0_data(sig)),
               static_cast<size_t>(ASN1_STRING_length(sig))));
  // Not a strict-DER ECDSA signature: VerifyChain refuses the certificate anyway.
  if (!parsed.ok() || !internal::HasHighS(parsed->get())) return Sha256(der);
  SHIPLEDGER_CHECK(internal::NormaliseLowS(parsed->get()).ok());
  Result<Bytes> low = internal::EncodeSignature(parsed->get());
  SHIPLEDGER_CHECK(low.ok());
  UniqueX509 twin(X509_dup(x509));
  SHIPLEDGER_CHECK(twin != nullptr);
  const ASN1_BIT_STRING* twin_sig = nullptr;
  X509_get0_signature(&twin_sig, nullptr, twin.get());
  SHIPLEDGER_CHECK(ASN1_BIT_STRING_set(const_cast<ASN1_BIT_STRING*>(twin_sig),  // NOLINT
                                       reinterpret_cast<unsigned char*>(low->data()),
                                       static_cast<int>(low->size())) == 1);
  unsigned char* buf = nullptr;
  const int len = i2d_X509(twin.get(), &buf);
  SHIPLEDGER_CHECK(len > 0);
  Bytes canonical(reinterpret_cast<const char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return Sha256(canonical);
}

}  // namespace

Certificate::Certificate(std::shared_ptr<X509> x509, Bytes der)
    : x509_(std::move(x509)),
      der_(std::move(der)),
      fingerprint_(CanonicalFingerprint(x509_.get(), der_)) {}

Result<Certificate> Certificate::FromDer(ByteView der) {
  if (der.empty() || der.size() > kMaxCertInput) {
    return Status::InvalidArgument("certificate DER has bad size " + std::to_string(der.size()));
  }
  const auto* begin = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* p = begin;
  UniqueX509 x509(d2i_X509(nullptr, &p, static_cast<long>(der.size())));  // NOLINT
  if (x509 == nullptr) {
    return Status::InvalidArgument("malformed certificate DER: " + TakeOpenSslError());
  }
  if (p != begin + der.size()) {
    return Status::InvalidArgument("certificate DER has " + std::to_string(begin + der.size() - p) +
                                   " trailing bytes");
  }
  // The signed part keeps its original bytes; the outer envelope is re-encoded by i2d, so a
  // mismatch means a non-DER envelope (another encoding, hence fingerprint, of one cert).
  unsigned char* buf = nullptr;
  const int len = i2d_X509(x509.get(), &buf);
  if (len <= 0) return Status::InvalidArgument("certificate re-encoding: " + TakeOpenSslError());
  const bool canonical =
      ByteView(reinterpret_cast<const char*>(buf), static_cast<size_t>(len)) == der;
  OPENSSL_free(buf);
  if (!canonical) return Status::InvalidArgument("certificate is not canonical DER");
  return Certificate(ShareX509(std::move(x509)), Bytes(der));
}

Result<Certificate> Certificate::FromPem(std::string_view pem) {
  if (pem.size() > 2 * kMaxCertInput) return Status::InvalidArgument("certificate PEM too large");
  UniqueBio bio = MemBio(pem);
  UniqueX509 x509(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (x509 == nullptr) {
    return Status::InvalidArgument("malformed certificate PEM: " + TakeOpenSslError());
  }
  unsigned char* buf = nullptr;
  const int len = i2d_X509(x509.get(), &buf);
  if (len <= 0) return Status::InvalidArgument("certificate re-encoding: " + TakeOpenSslError());
  Bytes der(reinterpret_cast<const char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  // Through FromDer, so PEM input meets the same strictness as DER.
  return FromDer(der);
}

std::string Certificate::ToPem() const {
  UniqueBio bio(BIO_new(BIO_s_mem()));
  SHIPLEDGER_CHECK(bio != nullptr);
  SHIPLEDGER_CHECK(PEM_write_bio_X509(bio.get(), x509_.get()) == 1);
  return BioContents(bio.get());
}

std::string Certificate::common_name() const {
  return NameEntry(X509_get_subject_name(x509_.get()), NID_commonName);
}

std::string Certificate::organization() const {
  return NameEntry(X509_get_subject_name(x509_.get()), NID_organizationName);
}

std::vector<std::string> Certificate::organizational_units() const {
  std::vector<std::string> units;
  const X509_NAME* name = X509_get_subject_name(x509_.get());
  for (int idx = X509_NAME_get_index_by_NID(name, NID_organizationalUnitName, -1); idx >= 0;
       idx = X509_NAME_get_index_by_NID(name, NID_organizationalUnitName, idx)) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
    unsigned char* utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, data);
    if (len < 0) {
      TakeOpenSslError();
      continue;
    }
    units.emplace_back(reinterpret_cast<const char*>(utf8), static_cast<size_t>(len));
    OPENSSL_free(utf8);
  }
  return units;
}

bool Certificate::is_ca() const {
  internal::UniqueBasicConstraints bc(static_cast<BASIC_CONSTRAINTS*>(
      X509_get_ext_d2i(x509_.get(), NID_basic_constraints, nullptr, nullptr)));
  return bc != nullptr && bc->ca != 0;
}

int64_t Certificate::not_before_ms() const { return TimeMs(X509_get0_notBefore(x509_.get())); }
int64_t Certificate::not_after_ms() const { return TimeMs(X509_get0_notAfter(x509_.get())); }

bool Certificate::MatchesKey(const PrivateKey& key) const {
  if (X509_check_private_key(x509_.get(), key.raw()) == 1) return true;
  TakeOpenSslError();  // leave no error queued for the next OpenSSL call
  return false;
}

Result<PublicKey> Certificate::public_key() const {
  // X509_get_pubkey returns a new reference, which the PublicKey then owns.
  internal::UniquePkey key(X509_get_pubkey(x509_.get()));
  if (key == nullptr) {
    return Status::InvalidArgument("certificate public key: " + TakeOpenSslError());
  }
  SL_RETURN_IF_ERROR(internal::CheckP256(key.get()));
  return PublicKey(internal::SharePkey(std::move(key)));
}

// --- Issuing -----------------------------------------------------------------------------

Result<Certificate> IssueCaCertificate(const PrivateKey& key, const IssueOptions& options) {
  const PublicKey pub = key.public_key();
  SL_ASSIGN_OR_RETURN(UniqueX509 cert, NewCertificate(pub, nullptr, options));
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  SL_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE"));
  SL_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_key_usage, "critical,keyCertSign,cRLSign"));
  // The subject key id must exist before the authority key id, which copies it (self-signed).
  SL_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash"));
  SL_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always"));
  return SignCertificate(std::move(cert), key);
}

Result<Certificate> IssueCertificate(const Certificate& ca_cert, const PrivateKey& ca_key,
                                     const PublicKey& subject, const IssueOptions& options) {
  if (options.kind == CertKind::kCa) {
    return Status::InvalidArgument("IssueCertificate issues node and client certificates only");
  }
  if (!ca_cert.is_ca()) {
    return Status::InvalidArgument("issuer certificate is not a CA (basicConstraints CA:FALSE)");
  }
  if (!ca_cert.MatchesKey(ca_key)) {
    return Status::InvalidArgument("CA private key does not match the CA certificate");
  }
  SL_RETURN_IF_ERROR(internal::CheckP256(subject.raw()));
  SL_ASSIGN_OR_RETURN(UniqueX509 cert,
                      NewCertificate(subject, X509_get_subject_name(ca_cert.raw()), options));
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, ca_cert.raw(), cert.get(), nullptr, nullptr, 0);
  SL_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE"));
  SL_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature"));
  if (options.kind == CertKind::kNode) {
    SL_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth,clientAuth"));
    std::string names = "DNS:localhost,IP:127.0.0.1";
    for (const std::string& host : options.hosts) {
      if (!IsCertificateHost(host)) {
        return Status::InvalidArgument("host '" + host +
                                       "' is neither an IP address nor a DNS name");
      }
      if (host == "localhost" || host == "127.0.0.1") continue;
      names += (IsIpAddress(host) ? ",IP:" : ",DNS:") + host;
    }
    SL_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_subject_alt_name, names.c_str()));
  } else {
    SL_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_ext_key_usage, "clientAuth"));
  }
  SL_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash"));
  SL_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always"));
  return SignCertificate(std::move(cert), ca_key);
}

// --- Verification ------------------------------------------------------------------------

Status VerifyChain(const Certificate& leaf, const Certificate& ca, int64_t at_ms) {
  const X509_NAME* issuer = X509_get_issuer_name(leaf.raw());
  const X509_NAME* ca_subject = X509_get_subject_name(ca.raw());
  if (X509_NAME_cmp(issuer, ca_subject) != 0) {
    return Status::PermissionDenied("certificate issuer \"" + NameText(issuer) +
                                    "\" does not match CA subject \"" + NameText(ca_subject) +
                                    "\"");
  }
  if (!ca.is_ca()) {
    return Status::PermissionDenied("issuing certificate \"" + NameText(ca_subject) +
                                    "\" is not a CA (basicConstraints CA:TRUE missing)");
  }
  auto ca_key = ca.public_key();
  if (!ca_key.ok()) {
    return Status::PermissionDenied("CA public key unusable: " + ca_key.status().message());
  }
  if (X509_get_signature_nid(leaf.raw()) != NID_ecdsa_with_SHA256) {
    return Status::PermissionDenied("certificate is not signed with ecdsa-with-SHA256");
  }
  if (X509_verify(leaf.raw(), ca_key->raw()) != 1) {
    TakeOpenSslError();
    return Status::PermissionDenied("certificate signature does not verify under the key of CA \"" +
                                    NameText(ca_subject) + "\"");
  }
  const ASN1_BIT_STRING* sig = nullptr;
  X509_get0_signature(&sig, nullptr, leaf.raw());
  if (auto parsed = internal::ParseDerSignature(  // either S: ordinary CAs sign with both
          ByteView(reinterpret_cast<const char*>(ASN1_STRING_get0_data(sig)),
                   static_cast<size_t>(ASN1_STRING_length(sig))));
      !parsed.ok()) {
    return Status::PermissionDenied("certificate signature: " + parsed.status().message());
  }
  if (leaf.is_ca()) {
    return Status::PermissionDenied("certificate \"" + NameText(X509_get_subject_name(leaf.raw())) +
                                    "\" is a CA certificate, not a node or client certificate");
  }
  if (leaf.organization() != ca.organization()) {
    return Status::PermissionDenied("certificate organisation \"" + leaf.organization() +
                                    "\" does not match CA organisation \"" + ca.organization() +
                                    "\"");
  }
  if (auto key = leaf.public_key(); !key.ok()) {
    return Status::PermissionDenied("certificate public key: " + key.status().message());
  }
  // RFC 5280 §4.1.2.5: valid from notBefore to notAfter inclusive. The CA must be valid too.
  const struct {
    const Certificate* cert;
    const char* what;
  } checks[] = {{&leaf, "certificate"}, {&ca, "CA certificate"}};
  for (const auto& c : checks) {
    if (at_ms < c.cert->not_before_ms()) {
      return Status::PermissionDenied(std::string(c.what) + " not yet valid at " + IsoTime(at_ms) +
                                      " (valid from " + IsoTime(c.cert->not_before_ms()) + ")");
    }
    if (at_ms > c.cert->not_after_ms()) {
      return Status::PermissionDenied(std::string(c.what) + " expired at " +
                                      IsoTime(c.cert->not_after_ms()) + " (checked at " +
                                      IsoTime(at_ms) + ")");
    }
  }
  return Status::Ok();
}

Result<std::string> ReadFile(const std::string& path) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound("cannot open " + path + ": no such file");
    return Status::Internal("cannot open " + path + ": " +
                            (err != 0 ? std::strerror(err) : "unknown error"));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return Status::Internal("error reading " + path);
  return contents.str();
}

}  // namespace shipledger::crypto
