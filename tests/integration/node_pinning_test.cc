// The CLI checks the node it dials against the node certificates the genesis pins (DESIGN §3),
// not only against the organisation CAs: a server presenting a certificate an organisation CA
// issued — here a spare node certificate of the exporter, valid for TLS servers — but that no
// replica is pinned to is refused, and the CLI says why. The pinned node is served as before.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <string>

#include "config/identity.h"
#include "crypto/x509.h"
#include "fixture.h"

namespace shipledger::itest {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(NodePinning, CliRefusesANodeCertificateTheGenesisDoesNotPin) {
  NetworkDir net;
  auto ca = config::LoadIdentity((net.path() / "exporter" / "ca").string());
  ASSERT_TRUE(ca.ok()) << ca.status().ToString();
  auto key = crypto::PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  crypto::IssueOptions options;
  options.kind = crypto::CertKind::kNode;
  options.organization = "exporter";
  options.common_name = "exporter-spare-node";
  options.not_before_ms = ca->cert.not_before_ms();
  options.not_after_ms = ca->cert.not_after_ms();
  options.serial = 4242;
  auto spare = crypto::IssueCertificate(ca->cert, ca->key, key->public_key(), options);
  ASSERT_TRUE(spare.ok()) << spare.status().ToString();

  // A server with the spare certificate (no service needed: the handshake decides).
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_BUT_DONT_VERIFY);
  ssl.pem_key_cert_pairs.push_back({key->ToPem(), spare->ToPem()});
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(ssl), &port);
  std::unique_ptr<grpc::Server> impostor = builder.BuildAndStart();
  ASSERT_NE(impostor, nullptr);
  ASSERT_GT(port, 0);
  const ProgramResult refused = Cli({"--node", "127.0.0.1:" + std::to_string(port), "--identity",
                                     net.admin_dir("forwarder"), "chain", "info"},
                                    20000);
  impostor->Shutdown();
  EXPECT_NE(refused.code, 0) << refused;
  EXPECT_TRUE(Contains(refused.all(), "is not the one the genesis pins for any replica"))
      << refused;

  // The real node, dialled at its genesis endpoint, is the pinned replica 0.
  std::string target;
  auto node = StartNode(net, &target);
  ASSERT_NE(node, nullptr);
  const ProgramResult ok =
      Cli({"--node", target, "--identity", net.admin_dir("forwarder"), "chain", "info"});
  EXPECT_EQ(ok.code, 0) << ok;
  node->Stop();
}

}  // namespace
}  // namespace shipledger::itest
