// ECDSA P-256 keys, signatures over SHA-256, through OpenSSL EVP. Signatures are DER and low-S:
// Sign() always produces low-S, Verify() rejects high-S and non-canonical DER, so a signature
// cannot be mutated into another valid one (no malleability).
// Thread-safety: keys are immutable after construction and may be used from many threads.
#pragma once

#include <memory>
#include <string>

#include "shipledger/bytes.h"
#include "shipledger/status.h"

typedef struct evp_pkey_st EVP_PKEY;  // NOLINT: OpenSSL's own forward declaration

namespace shipledger::crypto {

class PublicKey {
 public:
  // From a DER SubjectPublicKeyInfo / a PEM "PUBLIC KEY". INVALID_ARGUMENT unless P-256.
  static Result<PublicKey> FromDer(ByteView spki_der);
  static Result<PublicKey> FromPem(std::string_view pem);

  Bytes ToDer() const;  // SubjectPublicKeyInfo
  std::string ToPem() const;
  // OK if `signature` (DER, low-S) is a valid signature of SHA-256(message) under this key;
  // INVALID_ARGUMENT with what is wrong (malformed DER, high S, mismatch) otherwise.
  Status Verify(ByteView message, ByteView signature) const;

  EVP_PKEY* raw() const { return key_.get(); }
  explicit PublicKey(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {}

 private:
  std::shared_ptr<EVP_PKEY> key_;
};

class PrivateKey {
 public:
  // A fresh random P-256 key.
  static Result<PrivateKey> Generate();
  // From PEM ("PRIVATE KEY" PKCS#8 or "EC PRIVATE KEY"). INVALID_ARGUMENT unless P-256.
  static Result<PrivateKey> FromPem(std::string_view pem);

  std::string ToPem() const;  // unencrypted PKCS#8
  PublicKey public_key() const;
  // DER ECDSA signature of SHA-256(message), normalised to low S.
  Result<Bytes> Sign(ByteView message) const;

  EVP_PKEY* raw() const { return key_.get(); }
  explicit PrivateKey(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {}

 private:
  std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace shipledger::crypto
