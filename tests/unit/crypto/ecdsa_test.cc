#include "crypto/ecdsa.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>

namespace shipledger::crypto {
namespace {

using ::testing::HasSubstr;

// The P-256 group order n (SEC 2 / FIPS 186-4), written out so the test does not trust the
// code under test for it.
constexpr char kP256OrderHex[] = "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551";

struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct SigFree {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using Sig = std::unique_ptr<ECDSA_SIG, SigFree>;

PrivateKey NewKey() {
  auto key = PrivateKey::Generate();
  EXPECT_TRUE(key.ok()) << key.status().ToString();
  return std::move(key).value();
}

Bytes SignOrDie(const PrivateKey& key, ByteView msg) {
  auto sig = key.Sign(msg);
  EXPECT_TRUE(sig.ok()) << sig.status().ToString();
  return std::move(sig).value();
}

Bn P256Order() {
  BIGNUM* n = nullptr;
  EXPECT_GT(BN_hex2bn(&n, kP256OrderHex), 0);
  return Bn(n);
}

Sig ParseSig(ByteView der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  return Sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
}

Bytes EncodeSig(const ECDSA_SIG* sig) {
  unsigned char* buf = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &buf);
  Bytes out(reinterpret_cast<const char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return out;
}

// (r, n - s): valid for plain ECDSA, but the high-S twin of a low-S signature.
Bytes HighSTwin(ByteView der) {
  Sig sig = ParseSig(der);
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  Bn n = P256Order();
  Bn high_s(BN_new());
  EXPECT_EQ(BN_sub(high_s.get(), n.get(), s), 1);
  Sig twin(ECDSA_SIG_new());
  EXPECT_EQ(ECDSA_SIG_set0(twin.get(), BN_dup(r), high_s.release()), 1);
  return EncodeSig(twin.get());
}

// What OpenSSL alone says, without the canonical-form checks.
bool RawOpenSslVerify(const PublicKey& key, ByteView msg, ByteView sig) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EXPECT_EQ(EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.raw()), 1);
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) == 1;
}

TEST(Ecdsa, SignVerifyRoundTrip) {
  const PrivateKey key = NewKey();
  const Bytes sig = SignOrDie(key, "shipment ABC123 loaded");
  EXPECT_TRUE(key.public_key().Verify("shipment ABC123 loaded", sig).ok());
}

TEST(Ecdsa, SignsEmptyMessage) {
  const PrivateKey key = NewKey();
  EXPECT_TRUE(key.public_key().Verify("", SignOrDie(key, "")).ok());
}

TEST(Ecdsa, TamperedMessageFails) {
  const PrivateKey key = NewKey();
  const Bytes sig = SignOrDie(key, "shipment ABC123 loaded");
  const Status st = key.public_key().Verify("shipment ABC124 loaded", sig);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("signature does not match"));
}

TEST(Ecdsa, SignatureFromAnotherKeyFails) {
  const PrivateKey alice = NewKey();
  const PrivateKey mallory = NewKey();
  const Bytes sig = SignOrDie(mallory, "msg");
  const Status st = alice.public_key().Verify("msg", sig);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("signature does not match"));
}

TEST(Ecdsa, SignAlwaysProducesLowS) {
  const PrivateKey key = NewKey();
  Bn n = P256Order();
  Bn half(BN_new());
  ASSERT_EQ(BN_rshift1(half.get(), n.get()), 1);
  // Without normalisation half of all signatures are high-S; 64 low in a row is not luck.
  for (int i = 0; i < 64; ++i) {
    Sig sig = ParseSig(SignOrDie(key, "msg " + std::to_string(i)));
    ASSERT_NE(sig, nullptr);
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), nullptr, &s);
    EXPECT_LE(BN_cmp(s, half.get()), 0) << "signature " << i;
  }
}

TEST(Ecdsa, HighSTwinOfValidSignatureIsRejected) {
  const PrivateKey key = NewKey();
  const Bytes sig = SignOrDie(key, "msg");
  const Bytes twin = HighSTwin(sig);
  ASSERT_NE(twin, sig);
  // Plain ECDSA accepts the twin, so only the low-S rule stops the malleation.
  ASSERT_TRUE(RawOpenSslVerify(key.public_key(), "msg", twin));
  const Status st = key.public_key().Verify("msg", twin);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("signature has high S (not canonical)"));
}

TEST(Ecdsa, TrailingByteAfterDerIsRejected) {
  const PrivateKey key = NewKey();
  const Bytes sig = SignOrDie(key, "msg") + std::string(1, '\0');
  const Status st = key.public_key().Verify("msg", sig);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("malformed signature DER"));
}

TEST(Ecdsa, ExtraLeadingZeroInRIsRejected) {
  const PrivateKey key = NewKey();
  const Bytes sig = SignOrDie(key, "msg");
  // SEQUENCE { INTEGER r, INTEGER s } with short-form lengths (a P-256 signature is < 128 bytes).
  ASSERT_EQ(static_cast<uint8_t>(sig[0]), 0x30);
  ASSERT_EQ(static_cast<uint8_t>(sig[2]), 0x02);
  Bytes padded = sig;
  padded.insert(4, 1, '\0');  // r gets a redundant 0x00: same value, non-minimal DER
  padded[1] = static_cast<char>(sig[1] + 1);
  padded[3] = static_cast<char>(sig[3] + 1);
  const Status st = key.public_key().Verify("msg", padded);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("malformed signature DER"));
}

TEST(Ecdsa, LongFormSequenceLengthIsRejected) {
  const PrivateKey key = NewKey();
  const Bytes sig = SignOrDie(key, "msg");
  Bytes ber = sig;
  ber.insert(1, 1, static_cast<char>(0x81));  // 0x30 0x81 <len>: BER, not DER, for len < 128
  const Status st = key.public_key().Verify("msg", ber);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("malformed signature DER"));
}

TEST(Ecdsa, GarbageSignatureIsRejected) {
  const PrivateKey key = NewKey();
  for (const Bytes& junk : {Bytes(), Bytes("\x30"), Bytes(72, 'x'), Bytes(2000, '\x30')}) {
    const Status st = key.public_key().Verify("msg", junk);
    EXPECT_EQ(st.code(), Code::kInvalidArgument);
    EXPECT_THAT(st.message(), HasSubstr("malformed signature DER"));
  }
}

TEST(Ecdsa, PrivateKeyPemRoundTrip) {
  const PrivateKey key = NewKey();
  const std::string pem = key.ToPem();
  EXPECT_THAT(pem, HasSubstr("-----BEGIN PRIVATE KEY-----"));
  auto loaded = PrivateKey::FromPem(pem);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->ToPem(), pem);
  EXPECT_EQ(loaded->public_key().ToDer(), key.public_key().ToDer());
  EXPECT_TRUE(key.public_key().Verify("m", SignOrDie(*loaded, "m")).ok());
}

TEST(Ecdsa, PrivateKeyFromTraditionalEcPem) {
  const PrivateKey key = NewKey();
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  ASSERT_EQ(PEM_write_bio_PrivateKey_traditional(bio.get(), key.raw(), nullptr, nullptr, 0, nullptr,
                                                 nullptr),
            1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);  // NOLINT(google-runtime-int)
  const std::string pem(data, static_cast<size_t>(len));
  ASSERT_THAT(pem, HasSubstr("-----BEGIN EC PRIVATE KEY-----"));
  auto loaded = PrivateKey::FromPem(pem);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->public_key().ToDer(), key.public_key().ToDer());
}

TEST(Ecdsa, PublicKeyPemAndDerRoundTrip) {
  const PrivateKey key = NewKey();
  const PublicKey pub = key.public_key();
  auto from_pem = PublicKey::FromPem(pub.ToPem());
  ASSERT_TRUE(from_pem.ok()) << from_pem.status().ToString();
  EXPECT_EQ(from_pem->ToDer(), pub.ToDer());
  auto from_der = PublicKey::FromDer(pub.ToDer());
  ASSERT_TRUE(from_der.ok()) << from_der.status().ToString();
  EXPECT_EQ(from_der->ToPem(), pub.ToPem());
  EXPECT_EQ(pub.ToDer().size(), 91u);  // P-256 SubjectPublicKeyInfo, uncompressed point
  EXPECT_TRUE(from_der->Verify("m", SignOrDie(key, "m")).ok());
}

TEST(Ecdsa, PublicKeyDerWithTrailingBytesIsRejected) {
  const Bytes der = NewKey().public_key().ToDer() + "x";
  EXPECT_EQ(PublicKey::FromDer(der).status().code(), Code::kInvalidArgument);
}

TEST(Ecdsa, MalformedKeysAreRejected) {
  EXPECT_EQ(PublicKey::FromDer("not a key").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(PublicKey::FromDer("").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
                .status()
                .code(),
            Code::kInvalidArgument);
  EXPECT_EQ(PrivateKey::FromPem("garbage").status().code(), Code::kInvalidArgument);
}

TEST(Ecdsa, KeysOnOtherCurvesAreRejected) {
  std::unique_ptr<EVP_PKEY, PkeyFree> p384(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"));
  ASSERT_NE(p384, nullptr);
  const PrivateKey other(std::shared_ptr<EVP_PKEY>(p384.release(), EVP_PKEY_free));
  auto priv = PrivateKey::FromPem(other.ToPem());
  EXPECT_EQ(priv.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(priv.status().message(), HasSubstr("P-256"));
  auto pub = PublicKey::FromDer(other.public_key().ToDer());
  EXPECT_EQ(pub.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(pub.status().message(), HasSubstr("P-256"));
}

TEST(Ecdsa, PublicKeyOfPrivateKeyHoldsNoSecret) {
  const PublicKey pub = NewKey().public_key();
  // A public-only key cannot sign.
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  unsigned char buf[128];
  size_t len = sizeof(buf);
  const unsigned char msg[] = {'m'};
  const bool signed_ok =
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pub.raw()) == 1 &&
      EVP_DigestSign(ctx.get(), buf, &len, msg, sizeof(msg)) == 1;
  ERR_clear_error();
  EXPECT_FALSE(signed_ok);
}

}  // namespace
}  // namespace shipledger::crypto
