#include "crypto/openssl_util.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>

#include <cstring>

namespace shipledger::crypto::internal {
namespace {

// The P-256 group order n and floor(n / 2), computed once. Low S means s <= n/2.
struct P256Order {
  UniqueBignum n;
  UniqueBignum half_n;
};

const P256Order& Order() {
  static const P256Order order = [] {
    Owned<EC_GROUP, EC_GROUP_free> group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
    SHIPLEDGER_CHECK(group != nullptr);
    P256Order o;
    o.n.reset(BN_dup(EC_GROUP_get0_order(group.get())));
    o.half_n.reset(BN_new());
    SHIPLEDGER_CHECK(o.n != nullptr && o.half_n != nullptr);
    SHIPLEDGER_CHECK(BN_rshift1(o.half_n.get(), o.n.get()) == 1);
    return o;
  }();
  return order;
}

}  // namespace

std::shared_ptr<EVP_PKEY> SharePkey(UniquePkey key) {
  return std::shared_ptr<EVP_PKEY>(key.release(), EVP_PKEY_free);
}

std::shared_ptr<X509> ShareX509(UniqueX509 x509) {
  return std::shared_ptr<X509>(x509.release(), X509_free);
}

const EVP_MD* Sha256Md() {
  // Explicit fetch once: EVP_sha256() would re-fetch from the provider on every init.
  // Intentionally never freed (process lifetime; still reachable for leak checkers).
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  SHIPLEDGER_CHECK_MSG(md != nullptr, "OpenSSL has no SHA-256");
  return md;
}

std::string TakeOpenSslError() {
  const unsigned long err = ERR_peek_last_error();  // NOLINT(google-runtime-int): OpenSSL API
  std::string text = "unknown OpenSSL error";
  if (err != 0) {
    char buf[256];
    ERR_error_string_n(err, buf, sizeof(buf));
    text = buf;
  }
  ERR_clear_error();
  return text;
}

UniqueBio MemBio(std::string_view data) {
  UniqueBio bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  SHIPLEDGER_CHECK(bio != nullptr);
  return bio;
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);  // NOLINT(google-runtime-int): OpenSSL API
  if (len <= 0 || data == nullptr) return {};
  return std::string(data, static_cast<size_t>(len));
}

Status CheckP256(EVP_PKEY* key) {
  if (key == nullptr || !EVP_PKEY_is_a(key, "EC")) {
    return Status::InvalidArgument("key is not an EC key (want ECDSA P-256)");
  }
  char group[64] = {0};
  size_t group_len = 0;
  if (EVP_PKEY_get_group_name(key, group, sizeof(group), &group_len) != 1) {
    TakeOpenSslError();
    return Status::InvalidArgument("EC key has no named curve (want P-256)");
  }
  const std::string_view name(group, group_len);
  if (name != SN_X9_62_prime256v1 && name != "P-256") {
    return Status::InvalidArgument("EC key is on curve " + std::string(name) + ", want P-256");
  }
  return Status::Ok();
}

Result<UniqueEcdsaSig> ParseDerSignature(ByteView der) {
  if (der.empty() || der.size() > 1024) return Status::InvalidArgument("malformed signature DER");
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  UniqueEcdsaSig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));  // NOLINT
  if (sig == nullptr) {
    TakeOpenSslError();
    return Status::InvalidArgument("malformed signature DER");
  }
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return Status::InvalidArgument("malformed signature DER (trailing bytes)");
  }
  // d2i is lenient (BER lengths, leading zeros); only the one DER encoding is accepted, so a
  // signature cannot be re-encoded into another valid one.
  SL_ASSIGN_OR_RETURN(Bytes reencoded, EncodeSignature(sig.get()));
  if (reencoded != der) {
    return Status::InvalidArgument("malformed signature DER (not canonical DER)");
  }
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  if (BN_is_negative(r) || BN_is_negative(s)) {
    return Status::InvalidArgument("malformed signature DER (negative integer)");
  }
  return sig;
}

bool HasHighS(const ECDSA_SIG* sig) {
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, nullptr, &s);
  return BN_cmp(s, Order().half_n.get()) > 0;
}

Result<UniqueEcdsaSig> ParseCanonicalSignature(ByteView der) {
  SL_ASSIGN_OR_RETURN(UniqueEcdsaSig sig, ParseDerSignature(der));
  if (HasHighS(sig.get())) return Status::InvalidArgument("signature has high S (not canonical)");
  return sig;
}

Status NormaliseLowS(ECDSA_SIG* sig) {
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  if (BN_cmp(s, Order().half_n.get()) <= 0) return Status::Ok();
  UniqueBignum new_r(BN_dup(r));
  UniqueBignum new_s(BN_new());
  if (new_r == nullptr || new_s == nullptr || BN_sub(new_s.get(), Order().n.get(), s) != 1) {
    return Status::Internal("low-S normalisation: " + TakeOpenSslError());
  }
  if (ECDSA_SIG_set0(sig, new_r.get(), new_s.get()) != 1) {
    return Status::Internal("low-S normalisation: " + TakeOpenSslError());
  }
  // ECDSA_SIG_set0 took ownership.
  (void)new_r.release();
  (void)new_s.release();
  return Status::Ok();
}

Result<Bytes> EncodeSignature(const ECDSA_SIG* sig) {
  const int len = i2d_ECDSA_SIG(sig, nullptr);
  if (len <= 0) return Status::Internal("encoding signature: " + TakeOpenSslError());
  Bytes out(static_cast<size_t>(len), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  if (i2d_ECDSA_SIG(sig, &p) != len) {
    return Status::Internal("encoding signature: " + TakeOpenSslError());
  }
  return out;
}

}  // namespace shipledger::crypto::internal
