#include "crypto/x509.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "crypto/sha256.h"

namespace shipledger::crypto {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kJan2025Ms = 1735689600000;  // 2025-01-01T00:00:00Z
constexpr int64_t kJan2026Ms = 1767225600000;  // 2026-01-01T00:00:00Z
constexpr int64_t kJan2027Ms = 1798761600000;  // 2027-01-01T00:00:00Z
constexpr int64_t kJun2025Ms = 1748736000000;  // 2025-06-01T00:00:00Z

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct SigFree {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};

template <typename T>
T ValueOrDie(Result<T> r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

IssueOptions Options(CertKind kind, std::string org, std::string cn,
                     int64_t not_before_ms = kJan2025Ms, int64_t not_after_ms = kJan2026Ms) {
  IssueOptions o;
  o.kind = kind;
  o.organization = std::move(org);
  o.common_name = std::move(cn);
  o.not_before_ms = not_before_ms;
  o.not_after_ms = not_after_ms;
  o.serial = 0x1234;
  return o;
}

class X509Test : public ::testing::Test {
 protected:
  X509Test()
      : ca_key_(ValueOrDie(PrivateKey::Generate())),
        ca_(ValueOrDie(IssueCaCertificate(
            ca_key_,
            Options(CertKind::kCa, "acme-freight", "acme-freight CA", kJan2025Ms, kJan2027Ms)))),
        node_key_(ValueOrDie(PrivateKey::Generate())) {}

  Certificate Issue(CertKind kind, std::string org = "acme-freight",
                    int64_t not_before_ms = kJan2025Ms, int64_t not_after_ms = kJan2026Ms) {
    return ValueOrDie(
        IssueCertificate(ca_, ca_key_, node_key_.public_key(),
                         Options(kind, std::move(org), "node-0", not_before_ms, not_after_ms)));
  }

  PrivateKey ca_key_;
  Certificate ca_;
  PrivateKey node_key_;
};

bool ExtensionIsCritical(const Certificate& cert, int nid) {
  const int idx = X509_get_ext_by_NID(cert.raw(), nid, -1);
  return idx >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert.raw(), idx)) == 1;
}

TEST_F(X509Test, MatchesItsOwnKeyOnly) {
  const Certificate node = Issue(CertKind::kNode);
  EXPECT_TRUE(node.MatchesKey(node_key_));
  EXPECT_FALSE(node.MatchesKey(ca_key_));
  EXPECT_TRUE(ca_.MatchesKey(ca_key_));
  EXPECT_FALSE(ca_.MatchesKey(ValueOrDie(PrivateKey::Generate())));
  // A CA key that is not the CA certificate's issues nothing.
  EXPECT_FALSE(
      IssueCertificate(ca_, node_key_, node_key_.public_key(),
                       Options(CertKind::kNode, "acme-freight", "node-0", kJan2025Ms, kJan2026Ms))
          .ok());
}

TEST_F(X509Test, CaCertificateFields) {
  EXPECT_TRUE(ca_.is_ca());
  EXPECT_EQ(ca_.organization(), "acme-freight");
  EXPECT_EQ(ca_.common_name(), "acme-freight CA");
  EXPECT_EQ(ca_.not_before_ms(), kJan2025Ms);
  EXPECT_EQ(ca_.not_after_ms(), kJan2027Ms);
  EXPECT_EQ(X509_get_version(ca_.raw()), X509_VERSION_3);
  EXPECT_EQ(X509_get_signature_nid(ca_.raw()), NID_ecdsa_with_SHA256);
  EXPECT_TRUE(ExtensionIsCritical(ca_, NID_basic_constraints));
  EXPECT_EQ(X509_get_key_usage(ca_.raw()), static_cast<uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  // Self-signed: issuer = subject, signature under its own key, AKID = SKID.
  EXPECT_EQ(X509_NAME_cmp(X509_get_issuer_name(ca_.raw()), X509_get_subject_name(ca_.raw())), 0);
  EXPECT_EQ(X509_verify(ca_.raw(), ca_key_.raw()), 1);
  ASSERT_NE(X509_get0_subject_key_id(ca_.raw()), nullptr);
  ASSERT_NE(X509_get0_authority_key_id(ca_.raw()), nullptr);
  EXPECT_EQ(ASN1_OCTET_STRING_cmp(X509_get0_subject_key_id(ca_.raw()),
                                  X509_get0_authority_key_id(ca_.raw())),
            0);
  EXPECT_EQ(ValueOrDie(ca_.public_key()).ToDer(), ca_key_.public_key().ToDer());
}

TEST_F(X509Test, NodeCertificateFields) {
  const Certificate node = Issue(CertKind::kNode);
  EXPECT_FALSE(node.is_ca());
  EXPECT_TRUE(ExtensionIsCritical(node, NID_basic_constraints));
  EXPECT_EQ(node.organization(), "acme-freight");
  EXPECT_EQ(node.common_name(), "node-0");
  EXPECT_EQ(X509_get_key_usage(node.raw()), static_cast<uint32_t>(KU_DIGITAL_SIGNATURE));
  EXPECT_EQ(X509_get_extended_key_usage(node.raw()),
            static_cast<uint32_t>(XKU_SSL_SERVER | XKU_SSL_CLIENT));
  EXPECT_EQ(X509_check_host(node.raw(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(node.raw(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_NAME_cmp(X509_get_issuer_name(node.raw()), X509_get_subject_name(ca_.raw())), 0);
  ASSERT_NE(X509_get0_authority_key_id(node.raw()), nullptr);
  EXPECT_EQ(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(node.raw()),
                                  X509_get0_subject_key_id(ca_.raw())),
            0);
  EXPECT_NE(X509_get0_subject_key_id(node.raw()), nullptr);
  EXPECT_EQ(ASN1_INTEGER_get(X509_get0_serialNumber(node.raw())), 0x1234);
  EXPECT_EQ(ValueOrDie(node.public_key()).ToDer(), node_key_.public_key().ToDer());
}

TEST_F(X509Test, ClientCertificateFields) {
  const Certificate client = Issue(CertKind::kClient);
  EXPECT_FALSE(client.is_ca());
  EXPECT_EQ(X509_get_key_usage(client.raw()), static_cast<uint32_t>(KU_DIGITAL_SIGNATURE));
  EXPECT_EQ(X509_get_extended_key_usage(client.raw()), static_cast<uint32_t>(XKU_SSL_CLIENT));
  EXPECT_LT(X509_get_ext_by_NID(client.raw(), NID_subject_alt_name, -1), 0);
  EXPECT_TRUE(client.organizational_units().empty());
}

TEST_F(X509Test, OrganizationalUnitIsInTheSubjectAndReadBack) {
  IssueOptions options = Options(CertKind::kClient, "acme-freight", "boss");
  options.organizational_unit = "admin";
  const Certificate admin =
      ValueOrDie(IssueCertificate(ca_, ca_key_, node_key_.public_key(), options));
  EXPECT_EQ(admin.organizational_units(), std::vector<std::string>{"admin"});
  EXPECT_EQ(admin.organization(), "acme-freight");
  EXPECT_EQ(admin.common_name(), "boss");
  EXPECT_TRUE(VerifyChain(admin, ca_, kJan2025Ms + 1000).ok());
}

TEST_F(X509Test, ValidityIsRoundedInwardsToSeconds) {
  const Certificate c = Issue(CertKind::kClient, "acme-freight", kJan2025Ms + 1, kJan2026Ms + 999);
  EXPECT_EQ(c.not_before_ms(), kJan2025Ms + 1000);
  EXPECT_EQ(c.not_after_ms(), kJan2026Ms);
}

TEST_F(X509Test, DerRoundTripKeepsFieldsAndFingerprint) {
  const Certificate node = Issue(CertKind::kNode);
  const Certificate parsed = ValueOrDie(Certificate::FromDer(node.der()));
  EXPECT_EQ(parsed.der(), node.der());
  EXPECT_EQ(parsed.fingerprint(), node.fingerprint());
  EXPECT_EQ(parsed.organization(), "acme-freight");
  EXPECT_EQ(parsed.common_name(), "node-0");
  EXPECT_EQ(parsed.not_before_ms(), kJan2025Ms);
  EXPECT_EQ(parsed.not_after_ms(), kJan2026Ms);
  EXPECT_FALSE(parsed.is_ca());
}

TEST_F(X509Test, PemRoundTrip) {
  const std::string pem = ca_.ToPem();
  EXPECT_THAT(pem, HasSubstr("-----BEGIN CERTIFICATE-----"));
  const Certificate parsed = ValueOrDie(Certificate::FromPem(pem));
  EXPECT_EQ(parsed.der(), ca_.der());
  EXPECT_TRUE(parsed.is_ca());
}

TEST_F(X509Test, FingerprintOfALowSCertificateIsSha256OfDer) {
  EXPECT_EQ(ca_.fingerprint(), Sha256(ca_.der()));
  EXPECT_EQ(ca_.fingerprint().size(), kSha256Size);
}

TEST_F(X509Test, FromDerRejectsTrailingGarbage) {
  const auto r = Certificate::FromDer(ca_.der() + "x");
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("trailing"));
}

TEST_F(X509Test, FromDerRejectsTruncatedAndGarbage) {
  const Bytes& der = ca_.der();
  EXPECT_EQ(Certificate::FromDer(der.substr(0, der.size() - 1)).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(Certificate::FromDer("").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Certificate::FromDer("not a certificate").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Certificate::FromPem("not a certificate").status().code(), Code::kInvalidArgument);
}

TEST_F(X509Test, FromDerRejectsNonMinimalOuterLength) {
  // 30 82 LL LL -> 30 83 00 LL LL: the same certificate with a BER length.
  const Bytes& der = ca_.der();
  ASSERT_EQ(static_cast<uint8_t>(der[1]), 0x82);
  Bytes ber = der;
  ber[1] = static_cast<char>(0x83);
  ber.insert(2, 1, '\0');
  EXPECT_EQ(Certificate::FromDer(ber).status().code(), Code::kInvalidArgument);
}

TEST_F(X509Test, IssuedSignaturesAreLowS) {
  for (int i = 0; i < 16; ++i) {
    EXPECT_TRUE(VerifyChain(Issue(CertKind::kClient), ca_, kJun2025Ms).ok());
  }
}

TEST_F(X509Test, VerifyChainAcceptsNodeAndClient) {
  EXPECT_TRUE(VerifyChain(Issue(CertKind::kNode), ca_, kJun2025Ms).ok());
  EXPECT_TRUE(VerifyChain(Issue(CertKind::kClient), ca_, kJun2025Ms).ok());
}

TEST_F(X509Test, VerifyChainValidityBoundsAreInclusive) {
  const Certificate leaf = Issue(CertKind::kClient);
  EXPECT_TRUE(VerifyChain(leaf, ca_, kJan2025Ms).ok());
  EXPECT_TRUE(VerifyChain(leaf, ca_, kJan2026Ms).ok());
}

TEST_F(X509Test, VerifyChainFailsForWrongCa) {
  const PrivateKey other_key = ValueOrDie(PrivateKey::Generate());
  const Certificate other_ca = ValueOrDie(IssueCaCertificate(
      other_key, Options(CertKind::kCa, "customs-nl", "customs-nl CA", kJan2025Ms, kJan2027Ms)));
  const Status st = VerifyChain(Issue(CertKind::kNode), other_ca, kJun2025Ms);
  EXPECT_EQ(st.code(), Code::kPermissionDenied);
  EXPECT_THAT(st.message(), HasSubstr("issuer"));
  EXPECT_THAT(st.message(), HasSubstr("customs-nl CA"));
}

TEST_F(X509Test, VerifyChainFailsForLeafSignedByImpostorWithSameIssuerName) {
  const PrivateKey impostor_key = ValueOrDie(PrivateKey::Generate());
  const Certificate impostor_ca = ValueOrDie(IssueCaCertificate(
      impostor_key,
      Options(CertKind::kCa, "acme-freight", "acme-freight CA", kJan2025Ms, kJan2027Ms)));
  const Certificate forged =
      ValueOrDie(IssueCertificate(impostor_ca, impostor_key, node_key_.public_key(),
                                  Options(CertKind::kNode, "acme-freight", "node-0")));
  ASSERT_TRUE(VerifyChain(forged, impostor_ca, kJun2025Ms).ok());
  const Status st = VerifyChain(forged, ca_, kJun2025Ms);
  EXPECT_EQ(st.code(), Code::kPermissionDenied);
  EXPECT_THAT(st.message(), HasSubstr("signature does not verify"));
}

TEST_F(X509Test, VerifyChainFailsForCaAsLeaf) {
  const Status st = VerifyChain(ca_, ca_, kJun2025Ms);
  EXPECT_EQ(st.code(), Code::kPermissionDenied);
  EXPECT_THAT(st.message(), HasSubstr("is a CA certificate"));
}

TEST_F(X509Test, VerifyChainFailsForOrganisationMismatch) {
  const Certificate leaf = Issue(CertKind::kClient, "customs-nl");
  const Status st = VerifyChain(leaf, ca_, kJun2025Ms);
  EXPECT_EQ(st.code(), Code::kPermissionDenied);
  EXPECT_THAT(st.message(), HasSubstr("organisation \"customs-nl\" does not match CA "
                                      "organisation \"acme-freight\""));
}

TEST_F(X509Test, VerifyChainFailsWhenExpired) {
  const Status st = VerifyChain(Issue(CertKind::kClient), ca_, kJan2026Ms + 1);
  EXPECT_EQ(st.code(), Code::kPermissionDenied);
  EXPECT_THAT(st.message(), HasSubstr("certificate expired at 2026-01-01T00:00:00Z"));
}

TEST_F(X509Test, VerifyChainFailsWhenNotYetValid) {
  const Status st = VerifyChain(Issue(CertKind::kClient), ca_, kJan2025Ms - 1);
  EXPECT_EQ(st.code(), Code::kPermissionDenied);
  EXPECT_THAT(st.message(), HasSubstr("certificate not yet valid at 2024-12-31T23:59:59.999Z"));
}

TEST_F(X509Test, VerifyChainFailsWhenCaExpired) {
  const Certificate leaf = Issue(CertKind::kClient, "acme-freight", kJan2025Ms, kJan2027Ms + 10000);
  const Status st = VerifyChain(leaf, ca_, kJan2027Ms + 1000);
  EXPECT_EQ(st.code(), Code::kPermissionDenied);
  EXPECT_THAT(st.message(), HasSubstr("CA certificate expired at 2027-01-01T00:00:00Z"));
}

TEST_F(X509Test, HighSTwinOfALeafVerifiesAndSharesItsFingerprint) {
  const Certificate leaf = Issue(CertKind::kNode);
  // Rewrite the signature as (r, n - s), as half of all ordinary CA signatures are: a valid
  // certificate, and a second DER of the same one, which must not be a second identity.
  std::unique_ptr<X509, X509Free> copy(X509_dup(leaf.raw()));
  const ASN1_BIT_STRING* sig_bits = nullptr;
  X509_get0_signature(&sig_bits, nullptr, copy.get());
  const unsigned char* p = ASN1_STRING_get0_data(sig_bits);
  std::unique_ptr<ECDSA_SIG, SigFree> sig(d2i_ECDSA_SIG(nullptr, &p, ASN1_STRING_length(sig_bits)));
  ASSERT_NE(sig, nullptr);
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  BIGNUM* n_raw = nullptr;
  ASSERT_GT(BN_hex2bn(&n_raw, "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"),
            0);
  std::unique_ptr<BIGNUM, BnFree> n(n_raw);
  std::unique_ptr<BIGNUM, BnFree> high_s(BN_new());
  ASSERT_EQ(BN_sub(high_s.get(), n.get(), s), 1);
  std::unique_ptr<ECDSA_SIG, SigFree> twin(ECDSA_SIG_new());
  ASSERT_EQ(ECDSA_SIG_set0(twin.get(), BN_dup(r), high_s.release()), 1);
  unsigned char* twin_der = nullptr;
  const int twin_len = i2d_ECDSA_SIG(twin.get(), &twin_der);
  ASSERT_GT(twin_len, 0);
  ASSERT_EQ(ASN1_BIT_STRING_set(const_cast<ASN1_BIT_STRING*>(sig_bits), twin_der, twin_len), 1);
  OPENSSL_free(twin_der);
  unsigned char* der = nullptr;
  const int der_len = i2d_X509(copy.get(), &der);
  ASSERT_GT(der_len, 0);
  const Bytes twin_cert_der(reinterpret_cast<const char*>(der), static_cast<size_t>(der_len));
  OPENSSL_free(der);

  const Certificate twin_cert = ValueOrDie(Certificate::FromDer(twin_cert_der));
  ASSERT_NE(twin_cert.der(), leaf.der());
  ASSERT_EQ(X509_verify(twin_cert.raw(), ValueOrDie(ca_.public_key()).raw()), 1);
  EXPECT_TRUE(VerifyChain(twin_cert, ca_, kJun2025Ms).ok());
  EXPECT_EQ(twin_cert.fingerprint(), leaf.fingerprint());
  EXPECT_NE(twin_cert.fingerprint(), Sha256(twin_cert.der()));
  EXPECT_EQ(ValueOrDie(Certificate::FromPem(twin_cert.ToPem())).fingerprint(), leaf.fingerprint());
}

TEST_F(X509Test, IssueRefusesCaKindAndNonCaIssuerAndWrongKey) {
  EXPECT_EQ(IssueCertificate(ca_, ca_key_, node_key_.public_key(),
                             Options(CertKind::kCa, "acme-freight", "sub"))
                .status()
                .code(),
            Code::kInvalidArgument);
  const Certificate leaf = Issue(CertKind::kClient);
  EXPECT_EQ(IssueCertificate(leaf, node_key_, node_key_.public_key(),
                             Options(CertKind::kClient, "acme-freight", "x"))
                .status()
                .code(),
            Code::kInvalidArgument);
  EXPECT_EQ(IssueCertificate(ca_, node_key_, node_key_.public_key(),
                             Options(CertKind::kClient, "acme-freight", "x"))
                .status()
                .code(),
            Code::kInvalidArgument);
}

TEST_F(X509Test, IssueRejectsInvertedValidity) {
  EXPECT_EQ(IssueCaCertificate(ca_key_, Options(CertKind::kCa, "o", "cn", kJan2026Ms, kJan2025Ms))
                .status()
                .code(),
            Code::kInvalidArgument);
}

TEST(ReadFile, ReadsWholeFile) {
  const std::string path = ::testing::TempDir() + "/shipledger_crypto_readfile_test.bin";
  const std::string contents("line 1\n\0binary", 14);
  {
    std::ofstream out(path, std::ios::binary);
    out << contents;
  }
  EXPECT_EQ(ValueOrDie(ReadFile(path)), contents);
  std::remove(path.c_str());
}

TEST(ReadFile, MissingFileIsNotFound) {
  const auto r = ReadFile("/nonexistent/shipledger/file.pem");
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("/nonexistent/shipledger/file.pem"));
}

TEST(CertificateHost, AcceptsAddressesAndDnsNamesOnly) {
  for (std::string_view yes : {"10.0.0.5", "fd00::1", "::1", "node0", "node0.acme.example",
                               "a-b.c9.example", "127.0.0.11"}) {
    EXPECT_TRUE(IsCertificateHost(yes)) << yes;
  }
  const std::vector<std::string_view> bad = {
      "",    "a..b",   "-a.example", "a-.example", "a.example.",
      "x_y", "node 0", "a/b",        "[::1]",      std::string_view("a\0b", 3)};
  for (std::string_view no : bad) {
    EXPECT_FALSE(IsCertificateHost(no)) << no;
  }
  EXPECT_FALSE(IsCertificateHost(std::string(64, 'a') + ".example"));  // a label over 63
  EXPECT_TRUE(IsIpAddress("192.0.2.1"));
  EXPECT_FALSE(IsIpAddress("node0"));
}

}  // namespace
}  // namespace shipledger::crypto
