// LedgerService.ExportShipment and `shipledger export` against a real node: the EPCIS document
// and the DCSA events of a shipment, read access as GetShipment, bad requests refused, and
// private fields opened only on the caller's side (docs/interop.md, "Export").
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fixture.h"
#include "interop/epcis_export.h"
#include "shipledger/bytes.h"

namespace shipledger::itest {
namespace {

namespace pb = google::protobuf;

constexpr char kShipment[] = "EXP-1";

class ExportTest : public OneNodeTest {
 protected:
  void SetUp() override {
    OneNodeTest::SetUp();
    v1::Event booked = client_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, kShipment);
    booked.add_parties("forwarder");
    auto* ref = booked.add_references();
    ref->set_kind("container");
    ref->set_value("CSQU3054383");
    ref = booked.add_references();
    ref->set_kind("booking");
    ref->set_value("BKG-1");
    booked.set_location("DEHAM");
    const auto receipt = client_->SubmitValid(client_->Sign(booked, net_.client("exporter")));
    booked_id_ = receipt.event_id();
    v1::Event pickup = client_->NewEvent("exporter", v1::EVENT_TYPE_PICKUP, kShipment);
    pickup.set_location("DEHAM");
    pickup_id_ = client_->SubmitValid(client_->Sign(pickup, net_.client("exporter"))).event_id();
  }

  v1::ExportShipmentResponse Export(v1::ExportFormat format, grpc::Status* status,
                                    const std::string& as_org = "",
                                    const std::string& id = kShipment) {
    Client as(net_, target_, as_org);
    v1::ExportShipmentRequest req;
    req.set_shipment_id(id);
    req.set_format(format);
    v1::ExportShipmentResponse resp;
    grpc::ClientContext ctx;
    *status = as.stub().ExportShipment(&ctx, req, &resp);
    return resp;
  }

  std::string booked_id_;
  std::string pickup_id_;
};

pb::Struct Parse(const std::string& json) {
  pb::Struct out;
  EXPECT_TRUE(pb::util::JsonStringToMessage(json, &out).ok()) << json;
  return out;
}

const pb::ListValue& EventList(const pb::Struct& document) {
  return document.fields().at("epcisBody").struct_value().fields().at("eventList").list_value();
}

TEST_F(ExportTest, EpcisDocumentHoldsEveryEventWithItsOwnHashId) {
  grpc::Status status;
  const auto resp = Export(v1::EXPORT_FORMAT_EPCIS, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(resp.media_type(), "application/ld+json");
  EXPECT_EQ(resp.events(), 2u);
  EXPECT_EQ(resp.omitted_size(), 0);
  const pb::Struct doc = Parse(resp.document());
  const auto& events = EventList(doc);
  ASSERT_EQ(events.values_size(), 2);
  const interop::Namespaces ns = interop::NamespacesOf(doc.fields().at("@context"));
  for (const auto& e : events.values()) {
    auto id = interop::EventHashId(e.struct_value(), ns);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_EQ(*id, e.struct_value().fields().at("eventID").string_value());
  }
  EXPECT_EQ(events.values(0).struct_value().fields().at("type").string_value(), "TransactionEvent");
  EXPECT_EQ(events.values(1).struct_value().fields().at("bizStep").string_value(),
            std::string(interop::kLedgerNamespace) + "BizStep-pickup");
  // The ledger's record of each event is in the header.
  EXPECT_NE(resp.document().find(ToHex(booked_id_)), std::string::npos);
  EXPECT_NE(resp.document().find(ToHex(pickup_id_)), std::string::npos);
  // A second export gives the same ids.
  const auto again = Export(v1::EXPORT_FORMAT_EPCIS, &status);
  ASSERT_TRUE(status.ok());
  const pb::Struct doc2 = Parse(again.document());
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(EventList(doc2).values(i).struct_value().fields().at("eventID").string_value(),
              events.values(i).struct_value().fields().at("eventID").string_value());
  }
}

TEST_F(ExportTest, DcsaEventsAndWhatDcsaHasNoEventFor) {
  // An exception has no DCSA 2.2 event: it is listed, not dropped silently.
  client_->SubmitValid(client_->SignedBy("exporter", v1::EVENT_TYPE_EXCEPTION, kShipment));
  grpc::Status status;
  const auto resp = Export(v1::EXPORT_FORMAT_DCSA, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(resp.media_type(), "application/json");
  pb::Value list;
  ASSERT_TRUE(pb::util::JsonStringToMessage(resp.document(), &list).ok());
  ASSERT_EQ(list.list_value().values_size(), 2);
  const auto& booked = list.list_value().values(0).struct_value().fields();
  EXPECT_EQ(booked.at("eventType").string_value(), "SHIPMENT");
  EXPECT_EQ(booked.at("shipmentEventTypeCode").string_value(), "CONF");
  EXPECT_EQ(booked.at("documentID").string_value(), "BKG-1");
  const auto& pickup = list.list_value().values(1).struct_value().fields();
  EXPECT_EQ(pickup.at("equipmentEventTypeCode").string_value(), "PICK");
  ASSERT_EQ(resp.omitted_size(), 1);
  EXPECT_EQ(resp.omitted(0).type(), v1::EVENT_TYPE_EXCEPTION);
  EXPECT_NE(resp.omitted(0).why().find("no DCSA Track & Trace 2.2 event"), std::string::npos);
}

TEST_F(ExportTest, ReadAccessIsGetShipmentsAndBadRequestsAreRefused) {
  grpc::Status status;
  // The importer is not a party: NOT_FOUND, exactly as for an unknown shipment.
  Export(v1::EXPORT_FORMAT_EPCIS, &status, "importer");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  Export(v1::EXPORT_FORMAT_EPCIS, &status, "", "NO-SUCH");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  // The forwarder is a party.
  Export(v1::EXPORT_FORMAT_DCSA, &status, "forwarder");
  EXPECT_TRUE(status.ok()) << status.error_message();
  Export(v1::EXPORT_FORMAT_UNSPECIFIED, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("EXPORT_FORMAT_EPCIS"), std::string::npos);
  Export(v1::EXPORT_FORMAT_EPCIS, &status, "", "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

// The CLI: to a file, to stdout, --private opening the caller's own fields on its side.
TEST(ExportCli, WritesTheDocumentAndOpensPrivateFieldsOnlyWhenAsked) {
  NetworkDir net;
  Daemon daemon(net.node_yaml());
  const std::string node = "127.0.0.1:" + std::to_string(net.port());
  auto cli = [&](const std::string& org, std::vector<std::string> args) {
    std::vector<std::string> full = {"--node", node, "--identity", net.admin_dir(org)};
    full.insert(full.end(), args.begin(), args.end());
    return Cli(full, 70000);
  };
  bool ready = false;
  for (int i = 0; i < 500 && !ready; ++i) {
    ready = cli("exporter", {"health"}).code == 0;
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(ready) << "shipledgerd did not come up";
  const ProgramResult booked =
      cli("exporter",
          {"event", "submit", "--shipment", "S-X", "--type", "booked", "--party", "forwarder",
           "--private", "invoice_value=EUR-10", "--readers", "forwarder", "--wait"});
  ASSERT_EQ(booked.code, 0) << booked;

  const std::string out = (net.path() / "s-x.jsonld").string();
  const ProgramResult written =
      cli("exporter", {"export", "epcis", "--shipment", "S-X", "--out", out});
  ASSERT_EQ(written.code, 0) << written;
  EXPECT_NE(written.out.find("wrote 1 event(s) of S-X to " + out), std::string::npos) << written;
  std::stringstream file;
  file << std::ifstream(out).rdbuf();
  const pb::Struct plain = Parse(file.str());
  EXPECT_EQ(file.str().find("EUR-10"), std::string::npos);
  EXPECT_NE(file.str().find("\"sl:encrypted\": true"), std::string::npos) << file.str();

  // --private: the forwarder (a reader) opens the field; the event's id does not change.
  const ProgramResult opened =
      cli("forwarder", {"export", "epcis", "--shipment", "S-X", "--private"});
  ASSERT_EQ(opened.code, 0) << opened;
  EXPECT_NE(opened.out.find("\"sl:value\": \"EUR-10\""), std::string::npos) << opened;
  const pb::Struct with_values = Parse(opened.out);
  EXPECT_EQ(EventList(with_values).values(0).struct_value().fields().at("eventID").string_value(),
            EventList(plain).values(0).struct_value().fields().at("eventID").string_value());

  // DCSA to stdout; --private is for EPCIS only (the node's DCSA events carry no private field).
  const ProgramResult dcsa = cli("exporter", {"export", "dcsa", "--shipment", "S-X"});
  ASSERT_EQ(dcsa.code, 0) << dcsa;
  EXPECT_NE(dcsa.out.find("\"shipmentEventTypeCode\": \"CONF\""), std::string::npos) << dcsa;
  const ProgramResult refused =
      cli("exporter", {"export", "dcsa", "--shipment", "S-X", "--private"});
  EXPECT_EQ(refused.code, 64) << refused;  // a usage error: export dcsa has no --private
  EXPECT_NE(refused.err.find("--private"), std::string::npos) << refused;
  // Not a party: the CLI says how to list the shipments one may read.
  const ProgramResult hidden = cli("importer", {"export", "epcis", "--shipment", "S-X"});
  EXPECT_EQ(hidden.code, 1);
  EXPECT_NE(hidden.err.find("shipledger shipment list"), std::string::npos) << hidden;
}

}  // namespace
}  // namespace shipledger::itest
