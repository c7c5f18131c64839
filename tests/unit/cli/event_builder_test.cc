#include "cli/event_builder.h"

#include <gtest/gtest.h>

#include "model/event.h"
#include "model/tracking_code.h"
#include "model/validation.h"
#include "testing/test_network.h"

namespace shipledger::cli {
namespace {

using testing::TestNetwork;

TEST(ParseKeyValue, SplitsAtTheFirstEquals) {
  auto kv = ParseKeyValue("seal=A=B", "--ref", "booking=1");
  ASSERT_TRUE(kv.ok());
  EXPECT_EQ(kv->first, "seal");
  EXPECT_EQ(kv->second, "A=B");
}

TEST(ParseKeyValue, MissingPartIsExplainedWithAnExample) {
  for (const char* bad : {"booking", "=BK1", "booking="}) {
    auto kv = ParseKeyValue(bad, "--ref", "booking=BK-1");
    ASSERT_FALSE(kv.ok()) << bad;
    EXPECT_EQ(kv.status().code(), Code::kInvalidArgument);
    EXPECT_NE(kv.status().message().find("--ref expects KEY=VALUE (e.g. --ref booking=BK-1)"),
              std::string::npos)
        << kv.status().message();
  }
}

TEST(ParseEventTypeName, AcceptsSnakeCaseNames) {
  auto type = ParseEventTypeName("export_customs_declared");
  ASSERT_TRUE(type.ok());
  EXPECT_EQ(*type, v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED);
}

TEST(ParseEventTypeName, UnknownNameListsValidNames) {
  auto type = ParseEventTypeName("shipped");
  ASSERT_FALSE(type.ok());
  const std::string m = type.status().message();
  EXPECT_NE(m.find("unknown event type 'shipped'"), std::string::npos) << m;
  for (v1::EventType t : model::AllEventTypes()) {
    EXPECT_NE(m.find(model::EventTypeName(t)), std::string::npos) << model::EventTypeName(t);
  }
}

TEST(EventFromFlags, BuildsEveryField) {
  EventFlags flags;
  flags.shipment_id = "SHP-1";
  flags.type = "booked";
  flags.location = "DEHAM";
  flags.references = {"booking=BK1", "container=MSCU1234567"};
  flags.details = {"incoterm=FOB"};
  flags.parties = {"exporter", "importer"};
  flags.time = "2026-11-19T10:00:00Z";
  auto event = EventFromFlags(flags);
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(event->shipment_id(), "SHP-1");
  EXPECT_EQ(event->type(), v1::EVENT_TYPE_BOOKED);
  EXPECT_EQ(event->location(), "DEHAM");
  ASSERT_EQ(event->references_size(), 2);
  EXPECT_EQ(event->references(1).kind(), "container");
  EXPECT_EQ(event->references(1).value(), "MSCU1234567");
  ASSERT_EQ(event->details_size(), 1);
  EXPECT_EQ(event->details(0).key(), "incoterm");
  EXPECT_EQ(event->details(0).value(), "FOB");
  EXPECT_EQ(event->parties_size(), 2);
  EXPECT_EQ(event->occurred_at_ms(), 1795082400000);
}

TEST(EventFromFlags, RequiresShipmentAndType) {
  EventFlags flags;
  flags.type = "booked";
  EXPECT_NE(EventFromFlags(flags).status().message().find("--shipment"), std::string::npos);
  flags = EventFlags();
  flags.shipment_id = "SHP-1";
  EXPECT_NE(EventFromFlags(flags).status().message().find("--type"), std::string::npos);
}

TEST(EventFromFlags, BadDetailIsRefused) {
  EventFlags flags;
  flags.shipment_id = "SHP-1";
  flags.type = "loaded";
  flags.details = {"vessel"};
  auto event = EventFromFlags(flags);
  ASSERT_FALSE(event.ok());
  EXPECT_NE(event.status().message().find("--detail"), std::string::npos);
}

TEST(EventFromJson, AcceptsProtoJsonWithSnakeCaseTypeAndHexDocumentHash) {
  const std::string hash(64, 'a');
  auto event = EventFromJson(R"({"shipment_id": "SHP-9", "type": "handover",
      "location": "NLRTM", "references": [{"kind": "container", "value": "C1"}],
      "documents": [{"kind": "invoice", "sha256": ")" +
                             hash + R"("}],
      "occurredAtMs": "1795000000000"})");
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(event->shipment_id(), "SHP-9");
  EXPECT_EQ(event->type(), v1::EVENT_TYPE_HANDOVER);
  EXPECT_EQ(event->occurred_at_ms(), 1795000000000);
  ASSERT_EQ(event->documents_size(), 1);
  EXPECT_EQ(event->documents(0).sha256(), std::string(32, '\xaa'));
}

TEST(EventFromJson, AcceptsProtoEnumNames) {
  auto event = EventFromJson(R"({"shipmentId": "S", "type": "EVENT_TYPE_DEPARTED"})");
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(event->type(), v1::EVENT_TYPE_DEPARTED);
}

TEST(EventFromJson, UnknownFieldIsRefused) {
  auto event = EventFromJson(R"({"shipment_id": "S", "colour": "red"})");
  ASSERT_FALSE(event.ok());
  EXPECT_EQ(event.status().code(), Code::kInvalidArgument);
}

TEST(EventFromJson, NonJsonIsRefused) {
  EXPECT_FALSE(EventFromJson("shipment: S").ok());
  EXPECT_FALSE(EventFromJson("[1, 2]").ok());
}

class EventSigningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = TestNetwork::Create();
    validator_ = std::make_unique<model::EventValidator>(net_->genesis());
  }

  Status Validate(const v1::SignedEvent& se) {
    model::ValidateOptions options;
    options.cert_time_ms = net_->now_ms();
    options.clock_now_ms = net_->now_ms();
    return validator_->Validate(se, options).status();
  }

  std::unique_ptr<TestNetwork> net_;
  std::unique_ptr<model::EventValidator> validator_;
};

TEST_F(EventSigningTest, FillEventFillsWhatIsAbsent) {
  v1::Event event;
  event.set_shipment_id("SHP-1");
  event.set_type(v1::EVENT_TYPE_HANDOVER);
  const config::Identity& signer = net_->org("exporter").client;
  ASSERT_TRUE(FillEvent(&event, "test-chain", signer, {net_->org("forwarder").client}, 1234).ok());
  EXPECT_EQ(event.chain_id(), "test-chain");
  EXPECT_EQ(event.signer_org(), "exporter");
  ASSERT_EQ(event.cosigner_orgs_size(), 1);
  EXPECT_EQ(event.cosigner_orgs(0), "forwarder");
  EXPECT_EQ(event.occurred_at_ms(), 1234);
  EXPECT_EQ(event.nonce().size(), 16u);
}

TEST_F(EventSigningTest, FillEventKeepsWhatIsPresent) {
  v1::Event event;
  event.set_chain_id("other");
  event.set_occurred_at_ms(99);
  event.set_nonce("n");
  ASSERT_TRUE(FillEvent(&event, "test-chain", net_->org("exporter").client, {}, 1234).ok());
  EXPECT_EQ(event.chain_id(), "other");
  EXPECT_EQ(event.occurred_at_ms(), 99);
  EXPECT_EQ(event.nonce(), "n");
}

TEST_F(EventSigningTest, NoncesDiffer) {
  v1::Event a, b;
  ASSERT_TRUE(FillEvent(&a, "c", net_->org("exporter").client, {}, 1).ok());
  ASSERT_TRUE(FillEvent(&b, "c", net_->org("exporter").client, {}, 1).ok());
  EXPECT_NE(a.nonce(), b.nonce());
}

TEST_F(EventSigningTest, SignerOrgOfAnotherOrganisationIsRefused) {
  v1::Event event;
  event.set_signer_org("importer");
  Status s = FillEvent(&event, "test-chain", net_->org("exporter").client, {}, 1);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("'importer'"), std::string::npos) << s.message();
}

TEST_F(EventSigningTest, CosignersThatDoNotMatchTheEventAreRefused) {
  v1::Event event;
  event.add_cosigner_orgs("forwarder");
  Status s = FillEvent(&event, "test-chain", net_->org("exporter").client,
                       {net_->org("importer").client}, 1);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("--cosigner"), std::string::npos) << s.message();
}

TEST_F(EventSigningTest, SignedEventFromFlagsValidates) {
  EventFlags flags;
  flags.shipment_id = "SHP-1";
  flags.type = "booked";
  flags.location = "DEHAM";
  flags.references = {"booking=BK1"};
  flags.parties = {"exporter", "forwarder", "customs", "importer"};
  auto event = EventFromFlags(flags);
  ASSERT_TRUE(event.ok());
  const config::Identity& signer = net_->org("exporter").client;
  ASSERT_TRUE(FillEvent(&*event, net_->genesis()->chain_id, signer, {}, net_->now_ms()).ok());
  auto se = SignEvent(*event, signer, {});
  ASSERT_TRUE(se.ok()) << se.status().ToString();
  EXPECT_TRUE(Validate(*se).ok()) << Validate(*se).ToString();
}

TEST_F(EventSigningTest, CosignedHandoverValidates) {
  EventFlags flags;
  flags.shipment_id = "SHP-1";
  flags.type = "handover";
  auto event = EventFromFlags(flags);
  ASSERT_TRUE(event.ok());
  const config::Identity& signer = net_->org("exporter").client;
  const std::vector<config::Identity> cosigners = {net_->org("forwarder").client};
  ASSERT_TRUE(
      FillEvent(&*event, net_->genesis()->chain_id, signer, cosigners, net_->now_ms()).ok());
  auto se = SignEvent(*event, signer, cosigners);
  ASSERT_TRUE(se.ok()) << se.status().ToString();
  ASSERT_EQ(se->cosignatures_size(), 1);
  EXPECT_TRUE(Validate(*se).ok()) << Validate(*se).ToString();
}

TEST_F(EventSigningTest, CosignaturesFollowTheEventsOrderNotTheFlags) {
  v1::Event event;
  event.set_shipment_id("SHP-1");
  event.set_type(v1::EVENT_TYPE_EXCEPTION);
  event.add_cosigner_orgs("importer");
  event.add_cosigner_orgs("forwarder");
  const config::Identity& signer = net_->org("exporter").client;
  const std::vector<config::Identity> cosigners = {net_->org("forwarder").client,
                                                   net_->org("importer").client};
  ASSERT_TRUE(FillEvent(&event, net_->genesis()->chain_id, signer, cosigners, net_->now_ms()).ok());
  auto se = SignEvent(event, signer, cosigners);
  ASSERT_TRUE(se.ok()) << se.status().ToString();
  EXPECT_TRUE(Validate(*se).ok()) << Validate(*se).ToString();
}

TEST_F(EventSigningTest, SignatureCoversTheExactBytes) {
  v1::Event event;
  event.set_shipment_id("SHP-1");
  event.set_type(v1::EVENT_TYPE_BOOKED);
  const config::Identity& signer = net_->org("exporter").client;
  ASSERT_TRUE(FillEvent(&event, net_->genesis()->chain_id, signer, {}, net_->now_ms()).ok());
  auto se = SignEvent(event, signer, {});
  ASSERT_TRUE(se.ok());
  (*se->mutable_event())[se->event().size() - 1] ^= 0x01;
  EXPECT_FALSE(Validate(*se).ok());
}

TrackingCodeFlags Own(std::string code) {
  TrackingCodeFlags flags;
  flags.code = std::move(code);
  return flags;
}

TrackingCodeFlags NoCode() {
  TrackingCodeFlags flags;
  flags.none = true;
  return flags;
}

v1::Event OfType(v1::EventType type) {
  v1::Event e;
  e.set_type(type);
  return e;
}

TEST(AttachTrackingCode, BookingGetsAFreshCodeAndOnlyItsHash) {
  v1::Event a = OfType(v1::EVENT_TYPE_BOOKED);
  v1::Event b = OfType(v1::EVENT_TYPE_BOOKED);
  auto code_a = AttachTrackingCode(&a, {});
  auto code_b = AttachTrackingCode(&b, {});
  ASSERT_TRUE(code_a.ok() && code_b.ok());
  EXPECT_NE(*code_a, *code_b);
  EXPECT_EQ(model::CanonicalTrackingCode(*code_a).size(), 32u);  // 160 random bits
  EXPECT_TRUE(model::IsWellFormedTrackingCode(model::CanonicalTrackingCode(*code_a)));
  EXPECT_EQ(a.tracking_hash(), model::TrackingHash(model::CanonicalTrackingCode(*code_a)));
  EXPECT_EQ(a.SerializeAsString().find(model::CanonicalTrackingCode(*code_a)), std::string::npos);
}

TEST(AttachTrackingCode, NoCodeFlagAndOtherEventTypesGetNone) {
  v1::Event booking = OfType(v1::EVENT_TYPE_BOOKED);
  EXPECT_EQ(*AttachTrackingCode(&booking, NoCode()), "");
  EXPECT_EQ(booking.tracking_hash(), "");
  v1::Event pickup = OfType(v1::EVENT_TYPE_PICKUP);
  EXPECT_EQ(*AttachTrackingCode(&pickup, {}), "");
  EXPECT_EQ(pickup.tracking_hash(), "");
}

TEST(AttachTrackingCode, OwnCodeIsHashedInCanonicalForm) {
  v1::Event e = OfType(v1::EVENT_TYPE_BOOKED);
  auto code = AttachTrackingCode(&e, Own("abcd-efgh-ijkl-mnop-qrst-uvwx-yz01"));
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  EXPECT_EQ(*code, "abcd-efgh-ijkl-mnop-qrst-uvwx-yz01");
  EXPECT_EQ(e.tracking_hash(), model::TrackingHash("ABCDEFGHIJKLMNOPQRSTUVWXYZ01"));
}

TEST(AttachTrackingCode, WeakOrMisplacedOwnCodeIsRefused) {
  v1::Event booking = OfType(v1::EVENT_TYPE_BOOKED);
  auto weak = AttachTrackingCode(&booking, Own("ABCD-1234"));
  EXPECT_EQ(weak.status().code(), Code::kInvalidArgument);
  EXPECT_NE(weak.status().message().find("128 random bits"), std::string::npos);
  auto odd = AttachTrackingCode(&booking, Own(std::string(30, 'A') + "!"));
  EXPECT_EQ(odd.status().code(), Code::kInvalidArgument);
  v1::Event pickup = OfType(v1::EVENT_TYPE_PICKUP);
  EXPECT_EQ(AttachTrackingCode(&pickup, Own(std::string(30, 'A'))).status().code(),
            Code::kInvalidArgument);
  v1::Event hashed = OfType(v1::EVENT_TYPE_BOOKED);
  hashed.set_tracking_hash(Bytes(32, 'h'));
  EXPECT_EQ(AttachTrackingCode(&hashed, Own(std::string(30, 'A'))).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(*AttachTrackingCode(&hashed, {}), "");  // a hash from --file is kept
  EXPECT_EQ(hashed.tracking_hash(), Bytes(32, 'h'));
}

}  // namespace
}  // namespace shipledger::cli
