// The public tracking service end to end (docs/tracking.md): node.yaml turns it on, the real
// CLI books a shipment and prints its tracking code, and a raw HTTP client asks for it.
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <string>
#include <vector>

#include "fixture.h"
#include "testing/raw_http.h"

namespace shipledger::itest {
namespace {

using ::shipledger::testing::HttpGet;

ProgramResult Cli(const std::vector<std::string>& args) {
  std::vector<std::string> full = {SHIPLEDGER_CLI_PATH};
  full.insert(full.end(), args.begin(), args.end());
  return RunProgram(full, 20000);
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// The code of the line "tracking code: CODE — ...", or "".
std::string TrackingCodeIn(const std::string& out) {
  const std::string tag = "tracking code: ";
  const size_t at = out.find(tag);
  if (at == std::string::npos) return "";
  const size_t start = at + tag.size();
  return out.substr(start, out.find(' ', start) - start);
}

class TrackingServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tracking_port_ = FreePort();
    std::ofstream yaml(net_.node_yaml(), std::ios::app);
    yaml << "\ntracking_listen: 127.0.0.1:" << tracking_port_
         << "\ntracking_rate_per_s: 1\ntracking_burst: 6\n";
    yaml.close();
    node_ = StartNode(net_, &target_);
    ASSERT_NE(node_, nullptr);
  }
  std::string Admin(const std::string& org) const {
    return (net_.path() / org / "clients/admin").string();
  }
  ProgramResult Submit(const std::string& org, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"--node",     target_,    "event", "submit",
                                     "--identity", Admin(org), "--wait"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  }

  NetworkDir net_;
  int tracking_port_ = 0;
  std::string target_;
  std::unique_ptr<node::Node> node_;
};

TEST_F(TrackingServiceTest, CustomerSeesMilestonesOnlyUnknownIs404AndRateIsLimited) {
  ASSERT_EQ(node_->tracking_port(), tracking_port_);
  const ProgramResult booked =
      Submit("exporter", {"--shipment", "SHIP-PRIVATE-7", "--type", "booked", "--location", "DEHAM",
                          "--party", "importer", "--ref", "purchase_order=PO-PRIVATE-1", "--detail",
                          "price_eur=PRIVATE-98765"});
  ASSERT_EQ(booked.code, 0) << booked;
  const std::string code = TrackingCodeIn(booked.out);
  ASSERT_EQ(code.size(), 39u) << booked;  // 32 base32 characters in groups of 4
  EXPECT_TRUE(Contains(booked.out, "give it to the end customer")) << booked;

  const ProgramResult pickup = Submit(
      "exporter", {"--shipment", "SHIP-PRIVATE-7", "--type", "pickup", "--location", "DEBRV"});
  ASSERT_EQ(pickup.code, 0) << pickup;
  EXPECT_EQ(TrackingCodeIn(pickup.out), "");  // only bookings get codes
  // The forwarder, no party, holds no custody: REJECTED, so never a milestone. Under contract
  // rules v3 it is told what it would be told for an unknown shipment, and nothing more.
  const ProgramResult rejected = Submit(
      "forwarder", {"--shipment", "SHIP-PRIVATE-7", "--type", "loaded", "--location", "NLRTM"});
  ASSERT_EQ(rejected.code, 3) << rejected;
  EXPECT_TRUE(Contains(rejected.out, "REJECTED: shipment SHIP-PRIVATE-7 is not booked"))
      << rejected;

  const auto reply = HttpGet(tracking_port_, "/v1/track/" + code);
  ASSERT_EQ(reply.status(), 200) << reply.text;
  EXPECT_EQ(reply.header("Content-Type"), "application/json");
  const std::string body = reply.body();
  for (std::string_view shown :
       {"\"picked_up\"", "\"booked\"", "\"pickup\"", "\"DEHAM\"", "\"DEBRV\"", "\"time\":\"20"}) {
    EXPECT_TRUE(Contains(body, shown)) << shown << " not in " << body;
  }
  for (std::string_view hidden : {"PRIVATE", "NLRTM", "loaded", "exporter", "importer", "forwarder",
                                  "purchase_order", "price"}) {
    EXPECT_FALSE(Contains(body, hidden)) << hidden << " in " << body;
  }
  // Lower case without dashes is the same code.
  std::string typed;
  for (char c : code) {
    if (c != '-') typed.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  EXPECT_EQ(HttpGet(tracking_port_, "/v1/track/" + typed).status(), 200);

  const auto unknown = HttpGet(tracking_port_, "/v1/track/AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH");
  EXPECT_EQ(unknown.status(), 404) << unknown.text;
  EXPECT_TRUE(Contains(unknown.body(), "not_found"));

  // Burst 6 at 1/s: 3 used above; a quick run of 10 more must meet 429 with Retry-After.
  int limited = 0;
  std::string retry_after;
  for (int i = 0; i < 10; ++i) {
    const auto r = HttpGet(tracking_port_, "/v1/track/" + code);
    if (r.status() == 429) {
      ++limited;
      retry_after = r.header("Retry-After");
    }
  }
  EXPECT_GE(limited, 3);
  EXPECT_EQ(retry_after, "1");
}

TEST_F(TrackingServiceTest, NoTrackingCodeFlagAndClientSuppliedCode) {
  const ProgramResult none =
      Submit("exporter", {"--shipment", "S-NONE", "--type", "booked", "--no-tracking-code"});
  ASSERT_EQ(none.code, 0) << none;
  EXPECT_EQ(TrackingCodeIn(none.out), "");

  const std::string own = "MYSH-IPME-NTCO-DE23-4567-ABCD-EFGH";
  const ProgramResult mine = Submit("exporter", {"--shipment", "S-OWN", "--type", "booked",
                                                 "--location", "CNSHA", "--tracking-code", own});
  ASSERT_EQ(mine.code, 0) << mine;
  EXPECT_EQ(TrackingCodeIn(mine.out), own);
  EXPECT_EQ(HttpGet(tracking_port_, "/v1/track/" + own).status(), 200);

  const ProgramResult weak =
      Submit("exporter", {"--shipment", "S-WEAK", "--type", "booked", "--tracking-code", "1234"});
  EXPECT_EQ(weak.code, 1) << weak;
  EXPECT_TRUE(Contains(weak.err, "128 random bits")) << weak;
}

}  // namespace
}  // namespace shipledger::itest
