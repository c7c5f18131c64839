#include "crypto/ecdh.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "crypto/openssl_util.h"

namespace shipledger::crypto {

using internal::SharePkey;
using internal::TakeOpenSslError;
using internal::UniquePkey;

namespace {

using UniquePkeyCtx = internal::Owned<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using UniqueKdf = internal::Owned<EVP_KDF, EVP_KDF_free>;
using UniqueKdfCtx = internal::Owned<EVP_KDF_CTX, EVP_KDF_CTX_free>;

constexpr size_t kMaxHkdfSha256Length = 255 * 32;

// OSSL_PARAM wants non-const pointers even for input it only reads.
void* Mutable(ByteView v) { return const_cast<char*>(v.data()); }

}  // namespace

Result<Bytes> EncodePoint(const PublicKey& key) {
  Bytes out(kP256PointSize, '\0');
  size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(key.raw(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                      reinterpret_cast<unsigned char*>(out.data()), out.size(),
                                      &len) != 1) {
    return Status::Internal("encoding a P-256 point: " + TakeOpenSslError());
  }
  if (len != kP256PointSize || out[0] != '\x04') {
    return Status::Internal("P-256 point is not in uncompressed form");
  }
  return out;
}

Result<PublicKey> DecodePoint(ByteView point) {
  if (point.size() != kP256PointSize || point[0] != '\x04') {
    return Status::InvalidArgument("a P-256 public key must be 65 bytes 0x04 ‖ X ‖ Y, got " +
                                   std::to_string(point.size()) + " bytes");
  }
  char group[] = "P-256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, Mutable(point), point.size()),
      OSSL_PARAM_construct_end()};
  UniquePkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
    return Status::Internal("P-256 key import: " + TakeOpenSslError());
  }
  EVP_PKEY* raw = nullptr;
  // Decoding the point checks that it lies on the curve.
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params)) !=
      1) {
    return Status::InvalidArgument("not a point on P-256: " + TakeOpenSslError());
  }
  return PublicKey(SharePkey(UniquePkey(raw)));
}

Result<SecretBytes> Ecdh(const PrivateKey& mine, const PublicKey& theirs) {
  UniquePkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, mine.raw(), nullptr));
  if (ctx == nullptr || EVP_PKEY_derive_init(ctx.get()) != 1) {
    return Status::Internal("ECDH init: " + TakeOpenSslError());
  }
  // Validates the peer key (on the curve, same group) before deriving.
  if (EVP_PKEY_derive_set_peer_ex(ctx.get(), theirs.raw(), 1) != 1) {
    return Status::InvalidArgument("ECDH peer key: " + TakeOpenSslError());
  }
  size_t len = 0;
  if (EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1 || len == 0) {
    return Status::Internal("ECDH: " + TakeOpenSslError());
  }
  SecretBytes secret(Bytes(len, '\0'));
  if (EVP_PKEY_derive(ctx.get(), secret.data(), &len) != 1 || len != secret.size()) {
    return Status::Internal("ECDH: " + TakeOpenSslError());
  }
  return secret;
}

Result<SecretBytes> HkdfSha256(ByteView ikm, ByteView salt, ByteView info, size_t length) {
  if (length == 0 || length > kMaxHkdfSha256Length) {
    return Status::InvalidArgument("HKDF-SHA256 output length must be 1..8160");
  }
  UniqueKdf kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  UniqueKdfCtx ctx(kdf == nullptr ? nullptr : EVP_KDF_CTX_new(kdf.get()));
  if (ctx == nullptr) return Status::Internal("HKDF: " + TakeOpenSslError());
  char digest[] = "SHA256";
  OSSL_PARAM params[5];
  size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, Mutable(ikm), ikm.size());
  // Absent salt: OpenSSL then uses HashLen zero bytes (RFC 5869 §2.2).
  if (!salt.empty()) {
    params[n++] =
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, Mutable(salt), salt.size());
  }
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, Mutable(info), info.size());
  params[n] = OSSL_PARAM_construct_end();
  SecretBytes out(Bytes(length, '\0'));
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
    return Status::Internal("HKDF: " + TakeOpenSslError());
  }
  return out;
}

}  // namespace shipledger::crypto
