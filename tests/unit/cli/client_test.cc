#include "cli/client.h"

#include <gtest/gtest.h>

namespace shipledger::cli {
namespace {

TEST(NodeClientStatusOf, UnreachableNodeSaysHowToStartIt) {
  NodeClient client("127.0.0.1:1", grpc::InsecureChannelCredentials());
  const Status s = client.StatusOf(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "failed to connect to all addresses"), "chain");
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_NE(s.message().find("cannot reach node at 127.0.0.1:1"), std::string::npos);
  EXPECT_NE(s.message().find("shipledgerd --config"), std::string::npos);
}

// Bug: a node that answered "shutting down" was reported as unreachable.
TEST(NodeClientStatusOf, NodeShuttingDownIsReportedAsItsOwnAnswer) {
  NodeClient client("127.0.0.1:7050", grpc::InsecureChannelCredentials());
  const Status s =
      client.StatusOf(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                   "node is shutting down; resume with from_height 12"),
                      "watch");
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_EQ(s.message().find("cannot reach"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("resume with from_height 12"), std::string::npos);
}

}  // namespace
}  // namespace shipledger::cli
