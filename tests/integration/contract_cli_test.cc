// Contract rules v2 through the operator CLI (issue 7) on a one-node network with a carrier
// organisation: a cold-chain booking with an open sea leg and return terms, a carrier offer
// that the contract assigns to the leg, out-of-range sensor readings that make an excursion,
// `shipment list --excursions`, Watch alerts, and who may read a carrier offer's event.
#include <gtest/gtest.h>

#include <chrono>

#include "fixture.h"
#include "shipledger/bytes.h"

namespace shipledger::itest {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The value of "event_id" in `event submit --json` output.
std::string EventIdOf(const ProgramResult& r) {
  const std::string key = "\"event_id\": \"";
  const size_t at = r.out.find(key);
  if (at == std::string::npos) return "";
  return r.out.substr(at + key.size(), 64);
}

class ContractCliTest : public ::testing::Test {
 protected:
  ContractCliTest()
      : net_(
            "exporter:exporter,forwarder:forwarder:client,customs:customs:client,"
            "importer:importer:client,carrier:carrier:client") {}

  void SetUp() override {
    node_ = StartNode(net_, &target_);
    ASSERT_NE(node_, nullptr);
  }

  // `shipledger --node T --identity ADMIN(org) ARGS...`.
  ProgramResult As(const std::string& org, std::vector<std::string> args) const {
    args.insert(args.begin(), {"--node", target_, "--identity", net_.admin_dir(org)});
    return Cli(args);
  }

  // Submits `args` (after `event submit --wait --json`) as `org`; expects a VALID receipt and
  // returns the event id.
  std::string Submit(const std::string& org, std::vector<std::string> args) const {
    args.insert(args.begin(), {"event", "submit", "--wait", "--json"});
    const ProgramResult r = As(org, args);
    EXPECT_EQ(r.code, 0) << r;
    EXPECT_TRUE(Contains(r.out, "\"code\": \"VALID\"")) << r;
    return EventIdOf(r);
  }

  static std::string Ms(int64_t ms) { return std::to_string(ms); }

  NetworkDir net_;
  std::string target_;
  std::unique_ptr<node::Node> node_;
};

TEST_F(ContractCliTest, OfferFillsTheOpenLegReadingsMakeAnExcursionListedAndAlerted) {
  Submit("exporter", {"--shipment",
                      "CC-1",
                      "--type",
                      "booked",
                      "--party",
                      "importer",
                      "--no-tracking-code",
                      "--consignee",
                      "importer",
                      "--leg",
                      "DEHAM:USNYC:sea:open:cold",
                      "--currency",
                      "EUR",
                      "--temp-range",
                      "2:8",
                      "--tolerance",
                      "30m",
                      "--return-window",
                      "30d",
                      "--return-reason",
                      "damaged",
                      "--return-payer",
                      "exporter",
                      "--return-address",
                      "DEHAM"});
  Submit("exporter", {"--shipment", "CC-2", "--type", "booked", "--no-tracking-code",
                      "--temp-range", "2:8", "--tolerance", "30m"});
  ProgramResult open = As("exporter", {"shipment", "show", "CC-1"});
  ASSERT_EQ(open.code, 0) << open;
  EXPECT_TRUE(Contains(open.out, "OPEN")) << open;
  // Contract rules v3 (which network init writes) look up offers by mode and lane.
  EXPECT_TRUE(Contains(open.out, "→ leg 1 open: no live carrier offer serves this mode and lane"))
      << open;

  // A flag of another event type is refused before anything is sent.
  const ProgramResult wrong = As("carrier", {"event", "submit", "--shipment", "OFFER-1", "--type",
                                             "carrier_offer", "--leg", "DEHAM:USNYC:sea"});
  EXPECT_EQ(wrong.code, 1) << wrong;
  EXPECT_TRUE(Contains(wrong.err, "--leg does not apply to a carrier_offer event")) << wrong;

  const std::string offer_id =
      Submit("carrier", {"--shipment", "OFFER-1", "--type", "carrier_offer", "--mode", "sea",
                         "--lane", "DE:US", "--cold-chain", "--price", "120000", "--currency",
                         "EUR", "--valid-from", "+0s", "--valid-until", "+30d"});
  ASSERT_EQ(offer_id.size(), 64u);
  const ProgramResult assigned = As("exporter", {"shipment", "show", "CC-1"});
  ASSERT_EQ(assigned.code, 0) << assigned;
  EXPECT_TRUE(Contains(assigned.out, "ASSIGNED")) << assigned;
  EXPECT_TRUE(Contains(assigned.out, "carrier (offer OFFER-1, EUR 1200.00)")) << assigned;
  EXPECT_TRUE(Contains(assigned.out, "cold chain 2.000 °C .. 8.000 °C, tolerance 30 min"))
      << assigned;
  EXPECT_TRUE(Contains(assigned.out, "return terms: window 30 d; reasons damaged")) << assigned;

  // Two readings 35 minutes apart, both at 12 °C, by the custodian (the exporter).
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  Submit("exporter", {"--shipment", "CC-1", "--type", "sensor_readings", "--reading",
                      Ms(now - 40 * 60000) + ",12,C,probe-1", "--reading",
                      Ms(now - 5 * 60000) + ",12,C,probe-1"});
  const std::string misread =
      Submit("exporter", {"--shipment", "CC-2", "--type", "sensor_readings", "--reading",
                          Ms(now - 40 * 60000) + ",5,C,probe-2"});

  const ProgramResult shown = As("exporter", {"shipment", "show", "CC-1"});
  EXPECT_TRUE(Contains(shown.out, "EXCURSION: 35 min out of range exceeds the 30 min")) << shown;
  EXPECT_TRUE(Contains(shown.out, "→ EXCURSION: ")) << shown;

  const ProgramResult listed = As("exporter", {"shipment", "list", "--excursions"});
  ASSERT_EQ(listed.code, 0) << listed;
  EXPECT_TRUE(Contains(listed.out, "CC-1")) << listed;
  EXPECT_FALSE(Contains(listed.out, "CC-2")) << listed;
  const ProgramResult all = As("exporter", {"shipment", "list"});
  EXPECT_TRUE(Contains(all.out, "CC-2")) << all;
  // The importer is party to CC-1 only; customs to neither.
  EXPECT_TRUE(Contains(As("importer", {"shipment", "list", "--excursions"}).out, "CC-1"));
  EXPECT_TRUE(Contains(As("customs", {"shipment", "list", "--excursions"}).out,
                       "no shipments with an excursion"));

  // The exporter declares its CC-2 readings erroneous: the timeline marks them.
  Submit("exporter", {"--shipment", "CC-2", "--type", "error_declaration", "--erroneous-event",
                      misread, "--reason", "probe misplaced"});
  const ProgramResult marked = As("exporter", {"shipment", "show", "CC-2"});
  EXPECT_TRUE(Contains(marked.out, "  ERRONEOUS: probe misplaced")) << marked;
  EXPECT_TRUE(Contains(marked.out, "declared erroneous: probe misplaced")) << marked;

  // Watch: the readings' entry carries the alert; the CLI prints it.
  Client importer(net_, target_, "importer");
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::WatchRequest req;
  req.set_shipment_id("CC-1");
  auto reader = importer.stub().Watch(&ctx, req);
  v1::WatchResponse msg;
  int alerts = 0;
  // CC-1 has two events: the booking and the readings.
  for (int i = 0; i < 2 && reader->Read(&msg); ++i) {
    for (const auto& a : msg.alerts()) {
      ++alerts;
      EXPECT_EQ(a.kind(), v1::ContractOutput::KIND_EXCURSION);
      EXPECT_EQ(a.shipment_id(), "CC-1");
      EXPECT_EQ(msg.entry().event().type(), v1::EVENT_TYPE_SENSOR_READINGS);
    }
  }
  ctx.TryCancel();
  EXPECT_EQ(alerts, 1);
  const ProgramResult watched = As("importer", {"watch", "--shipment", "CC-1", "--count", "2"});
  ASSERT_EQ(watched.code, 0) << watched;
  EXPECT_TRUE(Contains(watched.out, "ALERT excursion CC-1: 35 min")) << watched;
  const ProgramResult json =
      As("importer", {"--json", "watch", "--shipment", "CC-1", "--count", "2"});
  EXPECT_TRUE(Contains(json.out, "\"alerts\":[{")) << json;
  EXPECT_TRUE(Contains(json.out, "\"kind\":\"EXCURSION\"")) << json;
}

TEST_F(ContractCliTest, AnOffersEventIsReadByItsSignerAndNodeOrganisationsOnly) {
  Submit("exporter", {"--shipment", "CC-3", "--type", "booked", "--no-tracking-code", "--party",
                      "importer", "--leg", "DEHAM:USNYC:sea"});
  const std::string hex =
      Submit("carrier", {"--shipment", "OFFER-2", "--type", "carrier_offer", "--mode", "sea",
                         "--lane", "DE:US", "--price", "500", "--currency", "EUR", "--valid-from",
                         "+0s", "--valid-until", "+1d"});
  ASSERT_EQ(hex.size(), 64u);
  const std::string id = *FromHex(hex);
  auto get_event = [&](const std::string& org) {
    Client c(net_, target_, org);
    grpc::ClientContext ctx;
    v1::GetEventRequest req;
    req.set_event_id(id);
    v1::GetEventResponse resp;
    return c.stub().GetEvent(&ctx, req, &resp);
  };
  auto get_receipt = [&](const std::string& org, v1::Receipt* out) {
    Client c(net_, target_, org);
    grpc::ClientContext ctx;
    v1::GetReceiptRequest req;
    req.set_event_id(id);
    return c.stub().GetReceipt(&ctx, req, out);
  };
  EXPECT_TRUE(get_event("carrier").ok());
  EXPECT_TRUE(get_event("exporter").ok());  // runs the node
  v1::Receipt receipt;
  ASSERT_TRUE(get_receipt("carrier", &receipt).ok());
  ASSERT_EQ(receipt.outputs_size(), 1);  // assigned to CC-3's leg 1
  EXPECT_EQ(receipt.outputs(0).shipment_id(), "CC-3");
  // The importer is party to CC-3, but the offer is the carrier's: hidden as an unknown id.
  for (const std::string org : {"importer", "customs"}) {
    const grpc::Status e = get_event(org);
    EXPECT_EQ(e.error_code(), grpc::StatusCode::NOT_FOUND) << org;
    EXPECT_EQ(e.error_message(), "event " + hex + " not found");
    EXPECT_EQ(get_receipt(org, &receipt).error_code(), grpc::StatusCode::NOT_FOUND) << org;
  }
  EXPECT_EQ(As("carrier", {"event", "show", hex}).code, 0);
  EXPECT_EQ(As("importer", {"event", "show", hex}).code, 1);

  // The carrier's unfiltered stream carries its own offer; the importer's does not.
  auto streamed = [&](const std::string& org) {
    Client c(net_, target_, org);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
    auto reader = c.stub().Watch(&ctx, v1::WatchRequest());
    v1::WatchResponse msg;
    bool seen = false;
    while (!seen && reader->Read(&msg)) seen = msg.entry().event_id() == id;
    ctx.TryCancel();
    return seen;
  };
  EXPECT_TRUE(streamed("carrier"));
  EXPECT_FALSE(streamed("importer"));
}

}  // namespace
}  // namespace shipledger::itest
