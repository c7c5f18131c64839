// X.509 as X.509 (DESIGN §3): an organisation brings its own PKI. Client certificates issued by
// an organisation's CA with the `openssl` command line — about half of them signed with a high
// S, as any ordinary CA signs — are accepted as TLS client, event signer and co-signer, through
// the real CLI. Their fingerprint is that of their low-S twin (crypto/x509.h).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/identity.h"
#include "crypto/sha256.h"
#include "fixture.h"

namespace shipledger::itest {
namespace {

namespace fs = std::filesystem;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

ProgramResult Openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/env", "openssl"};  // from PATH
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv, 15000);
}

// Issues client certificates for `org` with the openssl command line, signed by the org's CA
// from `network init`, until `want_high_s` of them carry a high-S signature. Returns their
// identity folders (cert.pem, key.pem); *issued counts all of them.
std::vector<std::string> IssueHighSWithOpenssl(const NetworkDir& net, const std::string& org,
                                               int want_high_s, int* issued) {
  const fs::path base = net.path() / "openssl" / org;
  fs::create_directories(base);
  const fs::path ext = base / "client.ext";
  std::ofstream(ext) << "basicConstraints=critical,CA:FALSE\n"
                        "keyUsage=critical,digitalSignature\n"
                        "extendedKeyUsage=clientAuth\n";
  const fs::path ca = net.path() / org / "ca";
  std::vector<std::string> high;
  for (int i = 0; i < 64 && static_cast<int>(high.size()) < want_high_s; ++i) {
    const fs::path dir = base / ("clerk-" + std::to_string(i));
    fs::create_directories(dir);
    const std::string key = (dir / "key.pem").string();
    const std::string csr = (dir / "csr.pem").string();
    const std::string cert = (dir / "cert.pem").string();
    const ProgramResult genkey = Openssl(
        {"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key});
    EXPECT_EQ(genkey.code, 0) << genkey;
    const ProgramResult req =
        Openssl({"req", "-new", "-key", key, "-subj",
                 "/O=" + org + "/CN=clerk-" + std::to_string(i), "-out", csr});
    EXPECT_EQ(req.code, 0) << req;
    const ProgramResult sign =
        Openssl({"x509", "-req", "-in", csr, "-CA", (ca / "cert.pem").string(), "-CAkey",
                 (ca / "key.pem").string(), "-set_serial", std::to_string(1000 + i), "-days", "30",
                 "-sha256", "-extfile", ext.string(), "-out", cert});
    EXPECT_EQ(sign.code, 0) << sign;
    if (genkey.code != 0 || req.code != 0 || sign.code != 0) break;
    ++*issued;
    auto identity = config::LoadIdentity(dir.string());
    EXPECT_TRUE(identity.ok()) << identity.status().ToString();
    if (!identity.ok()) break;
    // High S exactly when the fingerprint is not the plain SHA-256 of the DER.
    if (identity->cert.fingerprint() != crypto::Sha256(identity->cert.der())) {
      high.push_back(dir.string());
    }
  }
  return high;
}

class X509InteropTest : public OneNodeTest {};

TEST_F(X509InteropTest, OpensslIssuedHighSCertificatesSignCosignAndAuthenticate) {
  int issued = 0;
  const std::vector<std::string> exporters = IssueHighSWithOpenssl(net_, "exporter", 3, &issued);
  const std::vector<std::string> forwarders = IssueHighSWithOpenssl(net_, "forwarder", 1, &issued);
  ASSERT_EQ(exporters.size(), 3u) << "in " << issued << " certificates";
  ASSERT_EQ(forwarders.size(), 1u);

  // TLS client and event signer: each high-S exporter clerk books a shipment through the CLI.
  for (size_t i = 0; i < exporters.size(); ++i) {
    const std::string shipment = "X509-" + std::to_string(i);
    const ProgramResult booked =
        Cli({"--node", target_, "--identity", exporters[i], "event", "submit", "--shipment",
             shipment, "--type", "booked", "--party", "forwarder", "--no-tracking-code", "--wait"});
    ASSERT_EQ(booked.code, 0) << booked;
    EXPECT_TRUE(Contains(booked.out, "VALID")) << booked;
    const ProgramResult shown =
        Cli({"--node", target_, "--identity", exporters[i], "shipment", "show", shipment});
    ASSERT_EQ(shown.code, 0) << shown;
  }

  // Co-signer: a high-S forwarder clerk co-signs the hand-over a high-S exporter clerk signs.
  const ProgramResult pickup =
      Cli({"--node", target_, "--identity", exporters[0], "event", "submit", "--shipment", "X509-0",
           "--type", "pickup", "--location", "CNSHA", "--wait"});
  ASSERT_EQ(pickup.code, 0) << pickup;
  const ProgramResult handover =
      Cli({"--node", target_, "--identity", exporters[1], "event", "submit", "--shipment", "X509-0",
           "--type", "handover", "--location", "CNSHA", "--cosigner", forwarders[0], "--wait"});
  ASSERT_EQ(handover.code, 0) << handover;
  EXPECT_TRUE(Contains(handover.out, "VALID")) << handover;
  const ProgramResult loaded =
      Cli({"--node", target_, "--identity", forwarders[0], "event", "submit", "--shipment",
           "X509-0", "--type", "loaded", "--location", "CNSHA", "--wait"});
  ASSERT_EQ(loaded.code, 0) << loaded;
  EXPECT_TRUE(Contains(loaded.out, "VALID")) << loaded;

  // The whole chain verifies through the node, high-S signers included.
  const ProgramResult verify = Cli({"--node", target_, "--identity", net_.admin_dir("exporter"),
                                    "verify", "--genesis", net_.genesis_path()});
  EXPECT_EQ(verify.code, 0) << verify;
}

}  // namespace
}  // namespace shipledger::itest
