#include "shipledger/endpoint.h"

#include <gtest/gtest.h>

namespace shipledger {
namespace {

TEST(Endpoint, SplitsHostAndPortWithIpv6InBrackets) {
  auto e = SplitEndpoint("127.0.0.1:7051");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, 7051);
  EXPECT_EQ(e->port_text(), "7051");
  e = SplitEndpoint("[::1]:80");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->host, "::1");
  e = SplitEndpoint("node-2.example:9000");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->host, "node-2.example");
  // Port 0 is a listener's request for any free port.
  e = SplitEndpoint("127.0.0.1:0");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->port, 0);
}

TEST(Endpoint, RefusesMalformed) {
  for (const char* bad :
       {"no-port", ":80", "host:", "host:8x", "host:65536", "host:-1", "host: 80", "::1:7050",
        "[]:80", "[::1:80", "a b:7050", "a/b:80", "user@host:80", "tab\t:80"}) {
    EXPECT_FALSE(SplitEndpoint(bad).has_value()) << bad;
  }
}

TEST(Endpoint, ValidEndpointsHaveAPortFromOne) {
  EXPECT_TRUE(IsValidEndpoint("127.0.0.1:7050"));
  EXPECT_TRUE(IsValidEndpoint("node-1.example.com:1"));
  EXPECT_TRUE(IsValidEndpoint("[::1]:65535"));
  EXPECT_FALSE(IsValidEndpoint("localhost"));
  EXPECT_FALSE(IsValidEndpoint(":7050"));
  EXPECT_FALSE(IsValidEndpoint("host:0"));
  EXPECT_FALSE(IsValidEndpoint("host:65536"));
  EXPECT_FALSE(IsValidEndpoint("host:70x"));
  EXPECT_FALSE(IsValidEndpoint("::1:7050"));
  EXPECT_FALSE(IsValidEndpoint("a b:7050"));
}

TEST(Endpoint, JoinHostPortBracketsIpv6) {
  EXPECT_EQ(JoinHostPort("node0.example", 7050), "node0.example:7050");
  EXPECT_EQ(JoinHostPort("fd00::7", 7050), "[fd00::7]:7050");
  EXPECT_EQ(SplitEndpoint(JoinHostPort("fd00::7", 7050))->host, "fd00::7");
}

TEST(Endpoint, LoopbackIsLocalhostOrTheLoopbackNetworks) {
  for (std::string_view yes : {"localhost:9443", "127.0.0.1:1", "127.10.0.254:80", "[::1]:9443"}) {
    EXPECT_TRUE(IsLoopbackEndpoint(yes)) << yes;
  }
  for (std::string_view no :
       {"0.0.0.0:9443", "10.0.0.1:80", "127.0.0.1.:80", "127.0.0:80", "127.0.0.256:80",
        "127.a.0.1:80", "[::]:80", "localhost.evil:80", "node1:9443", "127.0.0.1"}) {
    EXPECT_FALSE(IsLoopbackEndpoint(no)) << no;
  }
}

}  // namespace
}  // namespace shipledger
