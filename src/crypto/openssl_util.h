// Internal to the crypto module: RAII owners for OpenSSL objects and small helpers shared by
// ecdsa.cc and x509.cc. Not part of the public API; no other module includes this.
// Thread-safety: free functions; the owners are plain unique_ptrs.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

#include "shipledger/bytes.h"
#include "shipledger/status.h"

namespace shipledger::crypto::internal {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

using UniqueBio = Owned<BIO, BIO_free_all>;
using UniqueBignum = Owned<BIGNUM, BN_free>;
using UniqueBnCtx = Owned<BN_CTX, BN_CTX_free>;
using UniqueEcdsaSig = Owned<ECDSA_SIG, ECDSA_SIG_free>;
using UniqueMdCtx = Owned<EVP_MD_CTX, EVP_MD_CTX_free>;
using UniquePkey = Owned<EVP_PKEY, EVP_PKEY_free>;
using UniqueX509 = Owned<X509, X509_free>;
using UniqueX509Ext = Owned<X509_EXTENSION, X509_EXTENSION_free>;
using UniqueX509Name = Owned<X509_NAME, X509_NAME_free>;
using UniqueAsn1Time = Owned<ASN1_TIME, ASN1_TIME_free>;
using UniqueBasicConstraints = Owned<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free>;

// shared_ptr owners for the handles kept by PublicKey / PrivateKey / Certificate.
std::shared_ptr<EVP_PKEY> SharePkey(UniquePkey key);
std::shared_ptr<X509> ShareX509(UniqueX509 x509);

// The SHA-256 EVP_MD, fetched once for the process.
const EVP_MD* Sha256Md();

// The most recent OpenSSL error as text (or "unknown OpenSSL error"); clears this thread's
// error queue so one failure never leaks into the report of the next.
std::string TakeOpenSslError();

// A read-only memory BIO over `data` (which must outlive it).
UniqueBio MemBio(std::string_view data);
// Everything written to a memory BIO.
std::string BioContents(BIO* bio);

// OK when `key` is an EC key on P-256; INVALID_ARGUMENT otherwise.
Status CheckP256(EVP_PKEY* key);

// Parses an ECDSA signature as strict DER: INVALID_ARGUMENT "malformed signature DER" unless
// `der` is exactly one ECDSA-Sig-Value in canonical DER (nothing trailing, minimal encoding,
// non-negative integers). Either S is accepted.
Result<UniqueEcdsaSig> ParseDerSignature(ByteView der);
// ParseDerSignature, and also INVALID_ARGUMENT "signature has high S (not canonical)" when
// s > n/2 for the P-256 order n: the form the protocol's own signatures must take.
Result<UniqueEcdsaSig> ParseCanonicalSignature(ByteView der);
// True when s > n/2.
bool HasHighS(const ECDSA_SIG* sig);

// If s > n/2, replaces s by n - s. INTERNAL on an OpenSSL failure.
Status NormaliseLowS(ECDSA_SIG* sig);

// DER encoding of `sig`; INTERNAL on an OpenSSL failure.
Result<Bytes> EncodeSignature(const ECDSA_SIG* sig);

}  // namespace shipledger::crypto::internal
