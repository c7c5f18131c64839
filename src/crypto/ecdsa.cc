#include "crypto/ecdsa.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "crypto/openssl_util.h"

namespace shipledger::crypto {

using internal::BioContents;
using internal::CheckP256;
using internal::MemBio;
using internal::SharePkey;
using internal::TakeOpenSslError;
using internal::UniqueBio;
using internal::UniqueMdCtx;
using internal::UniquePkey;

namespace {

// Limits what a peer can make us parse; real P-256 SPKIs are 91 bytes, PEMs a few hundred.
constexpr size_t kMaxKeyInput = 16 * 1024;

const unsigned char* Data(ByteView v) { return reinterpret_cast<const unsigned char*>(v.data()); }

Result<PublicKey> CheckedPublicKey(UniquePkey key) {
  SL_RETURN_IF_ERROR(CheckP256(key.get()));
  return PublicKey(SharePkey(std::move(key)));
}

}  // namespace

// --- PublicKey ---------------------------------------------------------------------------

Result<PublicKey> PublicKey::FromDer(ByteView spki_der) {
  if (spki_der.empty() || spki_der.size() > kMaxKeyInput) {
    return Status::InvalidArgument("public key DER has bad size " +
                                   std::to_string(spki_der.size()));
  }
  const unsigned char* p = Data(spki_der);
  UniquePkey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size())));  // NOLINT
  if (key == nullptr) {
    return Status::InvalidArgument("malformed public key DER: " + TakeOpenSslError());
  }
  if (p != Data(spki_der) + spki_der.size()) {
    return Status::InvalidArgument("public key DER has trailing bytes");
  }
  return CheckedPublicKey(std::move(key));
}

Result<PublicKey> PublicKey::FromPem(std::string_view pem) {
  if (pem.size() > kMaxKeyInput) return Status::InvalidArgument("public key PEM too large");
  UniqueBio bio = MemBio(pem);
  UniquePkey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return Status::InvalidArgument("malformed public key PEM: " + TakeOpenSslError());
  }
  return CheckedPublicKey(std::move(key));
}

Bytes PublicKey::ToDer() const {
  unsigned char* buf = nullptr;
  const int len = i2d_PUBKEY(key_.get(), &buf);
  SHIPLEDGER_CHECK(len > 0 && buf != nullptr);
  Bytes out(reinterpret_cast<const char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return out;
}

std::string PublicKey::ToPem() const {
  UniqueBio bio(BIO_new(BIO_s_mem()));
  SHIPLEDGER_CHECK(bio != nullptr);
  SHIPLEDGER_CHECK(PEM_write_bio_PUBKEY(bio.get(), key_.get()) == 1);
  return BioContents(bio.get());
}

Status PublicKey::Verify(ByteView message, ByteView signature) const {
  // Strict DER and low S first: EVP_DigestVerify alone accepts both (s, n - s) and some BER.
  SL_ASSIGN_OR_RETURN(auto parsed, internal::ParseCanonicalSignature(signature));
  (void)parsed;
  UniqueMdCtx ctx(EVP_MD_CTX_new());
  if (ctx == nullptr || EVP_DigestVerifyInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr,
                                                key_.get(), nullptr) != 1) {
    return Status::Internal("signature verification setup: " + TakeOpenSslError());
  }
  const int rc =
      EVP_DigestVerify(ctx.get(), Data(signature), signature.size(), Data(message), message.size());
  if (rc != 1) {
    TakeOpenSslError();
    return Status::InvalidArgument("signature does not match");
  }
  return Status::Ok();
}

// --- PrivateKey --------------------------------------------------------------------------

Result<PrivateKey> PrivateKey::Generate() {
  UniquePkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (key == nullptr) return Status::Internal("P-256 key generation: " + TakeOpenSslError());
  return PrivateKey(SharePkey(std::move(key)));
}

Result<PrivateKey> PrivateKey::FromPem(std::string_view pem) {
  if (pem.size() > kMaxKeyInput) return Status::InvalidArgument("private key PEM too large");
  UniqueBio bio = MemBio(pem);
  // Accepts PKCS#8 "PRIVATE KEY" and traditional "EC PRIVATE KEY"; never prompts for a
  // passphrase (an empty one is supplied, so encrypted keys fail instead of blocking).
  UniquePkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char*>("")));
  if (key == nullptr) {
    return Status::InvalidArgument("malformed private key PEM: " + TakeOpenSslError());
  }
  SL_RETURN_IF_ERROR(CheckP256(key.get()));
  return PrivateKey(SharePkey(std::move(key)));
}

std::string PrivateKey::ToPem() const {
  UniqueBio bio(BIO_new(BIO_s_mem()));
  SHIPLEDGER_CHECK(bio != nullptr);
  SHIPLEDGER_CHECK(PEM_write_bio_PKCS8PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0,
                                                 nullptr, nullptr) == 1);
  return BioContents(bio.get());
}

PublicKey PrivateKey::public_key() const {
  // A public-only copy (through SubjectPublicKeyInfo), so a PublicKey never holds the secret.
  unsigned char* buf = nullptr;
  const int len = i2d_PUBKEY(key_.get(), &buf);
  SHIPLEDGER_CHECK(len > 0 && buf != nullptr);
  const unsigned char* p = buf;
  UniquePkey pub(d2i_PUBKEY(nullptr, &p, len));
  OPENSSL_free(buf);
  SHIPLEDGER_CHECK(pub != nullptr);
  return PublicKey(SharePkey(std::move(pub)));
}

Result<Bytes> PrivateKey::Sign(ByteView message) const {
  UniqueMdCtx ctx(EVP_MD_CTX_new());
  if (ctx == nullptr || EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr,
                                              key_.get(), nullptr) != 1) {
    return Status::Internal("signing setup: " + TakeOpenSslError());
  }
  size_t sig_len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &sig_len, Data(message), message.size()) != 1) {
    return Status::Internal("signing: " + TakeOpenSslError());
  }
  Bytes raw(sig_len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(raw.data()), &sig_len,
                     Data(message), message.size()) != 1) {
    return Status::Internal("signing: " + TakeOpenSslError());
  }
  raw.resize(sig_len);
  // Normalise to low S: (r, s) and (r, n - s) both verify; only the low one is accepted.
  const unsigned char* p = Data(raw);
  internal::UniqueEcdsaSig sig(
      d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(raw.size())));  // NOLINT
  if (sig == nullptr) return Status::Internal("parsing own signature: " + TakeOpenSslError());
  SL_RETURN_IF_ERROR(internal::NormaliseLowS(sig.get()));
  return internal::EncodeSignature(sig.get());
}

}  // namespace shipledger::crypto
