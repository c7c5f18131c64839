// Contract rules v2 and v3 (which network init writes) on a real node (docs/contracts.md): a multimodal journey road → sea → road
// whose sea leg is matched by the contract to a carrier's offer, a cold-chain excursion flagged
// and seen on a Watch stream, a return approved by the contract and one rejected out of window.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "fixture.h"
#include "shipledger/clock.h"

namespace shipledger::itest {
namespace {

using Kind = v1::ContractOutput;

constexpr char kOrgs[] =
    "exporter:exporter,forwarder:forwarder:client,customs:customs:client,"
    "importer:importer:client,trucker:carrier:client,ocean:carrier:client,"
    "lastmile:carrier:client";

v1::LegPlan Leg(const std::string& from, const std::string& to, v1::TransportMode mode,
                const std::string& carrier) {
  v1::LegPlan leg;
  leg.set_origin(from);
  leg.set_destination(to);
  leg.set_mode(mode);
  leg.set_carrier(carrier);
  return leg;
}

class ContractsJourneyTest : public OneNodeTest {
 protected:
  ContractsJourneyTest() : OneNodeTest(kOrgs) {}

  // Submits; expects a VALID receipt and returns it.
  v1::Receipt Valid(const v1::SignedEvent& e) { return client_->SubmitValid(e); }
  v1::Receipt Step(const std::string& org, v1::EventType type, const std::string& shipment,
                   const std::vector<std::string>& cosigners = {}) {
    return Valid(client_->SignedBy(org, type, shipment, cosigners));
  }
  v1::ShipmentState State(const std::string& shipment) {
    grpc::ClientContext ctx;
    v1::GetShipmentRequest req;
    req.set_shipment_id(shipment);
    v1::GetShipmentResponse resp;
    EXPECT_TRUE(client_->stub().GetShipment(&ctx, req, &resp).ok());
    return resp.state();
  }
  v1::SignedEvent Sign(const v1::Event& e) const {
    return client_->Sign(e, net_.client(e.signer_org()));
  }
};

TEST_F(ContractsJourneyTest, MultimodalJourneyMatchingExcursionAndReturns) {
  const std::string s = "MM-1";
  // Booking: road by trucker, sea open (temperature-controlled), road by lastmile; 2–8 °C with
  // 30 minutes' tolerance; returns within a day for damage, unopened.
  v1::Event booked = client_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, s);
  v1::BookingTerms* terms = booked.mutable_booking();
  terms->set_consignee("importer");
  terms->set_currency("EUR");
  *terms->add_legs() = Leg("CNSZX", "CNSHA", v1::TRANSPORT_MODE_ROAD, "trucker");
  v1::LegPlan sea = Leg("CNSHA", "NLRTM", v1::TRANSPORT_MODE_SEA, "");
  sea.set_temperature_controlled(true);
  *terms->add_legs() = sea;
  *terms->add_legs() = Leg("NLRTM", "DEHAM", v1::TRANSPORT_MODE_ROAD, "lastmile");
  terms->mutable_cold_chain()->set_min_milli_c(2000);
  terms->mutable_cold_chain()->set_max_milli_c(8000);
  terms->mutable_cold_chain()->set_tolerance_ms(30 * 60'000);
  terms->mutable_returns()->set_window_ms(24 * 3600'000);
  terms->mutable_returns()->add_allowed_reasons("damaged");
  terms->mutable_returns()->set_condition_required("unopened");
  terms->mutable_returns()->set_return_address("CNSZX");
  const v1::Receipt booking = Valid(Sign(booked));
  ASSERT_EQ(booking.outputs_size(), 1);
  EXPECT_EQ(booking.outputs(0).kind(), Kind::KIND_LEG_OPEN);
  EXPECT_EQ(booking.outputs(0).leg(), 2u);

  // Every committed event of the shipment from its booking on, as a watcher sees it (a Watch
  // of a shipment is opened once it is booked).
  grpc::ClientContext watch_ctx;
  v1::WatchRequest watch_req;
  watch_req.set_shipment_id(s);
  watch_req.set_from_height(booking.height());
  auto watch = client_->stub().Watch(&watch_ctx, watch_req);
  std::mutex mu;
  std::vector<v1::WatchResponse> seen;
  std::thread watcher([&] {
    v1::WatchResponse msg;
    while (watch->Read(&msg)) {
      std::lock_guard<std::mutex> lock(mu);
      seen.push_back(msg);
    }
  });

  // The ocean carrier's offer qualifies: the contract assigns the sea leg in its receipt.
  v1::Event offer_event = client_->NewEvent("ocean", v1::EVENT_TYPE_CARRIER_OFFER, "OCEAN-CN-NL");
  v1::CarrierOffer* offer = offer_event.mutable_offer();
  offer->add_modes(v1::TRANSPORT_MODE_SEA);
  v1::Lane* lane = offer->add_lanes();
  lane->set_origin("CN");
  lane->set_destination("NL");
  offer->set_cold_chain(true);
  offer->set_price_minor(185000);
  offer->set_currency("EUR");
  const int64_t now = SystemClock::Get().NowMs();
  offer->set_valid_from_ms(now - 3600'000);
  offer->set_valid_until_ms(now + 30LL * 24 * 3600'000);
  const v1::Receipt matched = Valid(Sign(offer_event));
  ASSERT_EQ(matched.outputs_size(), 1);
  EXPECT_EQ(matched.outputs(0).kind(), Kind::KIND_LEG_ASSIGNED);
  EXPECT_EQ(matched.outputs(0).shipment_id(), s);
  EXPECT_EQ(matched.outputs(0).carrier(), "ocean");
  EXPECT_EQ(State(s).legs(1).carrier(), "ocean");

  // Road leg.
  Step("exporter", v1::EVENT_TYPE_HANDOVER, s, {"trucker"});
  Step("trucker", v1::EVENT_TYPE_PICKUP, s);
  Step("trucker", v1::EVENT_TYPE_LOADED, s);
  Step("trucker", v1::EVENT_TYPE_DEPARTED, s);
  Step("trucker", v1::EVENT_TYPE_ARRIVED, s);
  // Contract rules v3: the declarant names the customs authority, which makes it a party.
  v1::Event declared = client_->NewEvent("exporter", v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, s);
  declared.add_parties("customs");
  Valid(Sign(declared));
  Step("customs", v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, s);
  // The sea leg: only its carrier may take the goods.
  const v1::SubmitResult wrong =
      client_->SubmitOne(client_->SignedBy("trucker", v1::EVENT_TYPE_HANDOVER, s, {"lastmile"}));
  EXPECT_EQ(wrong.receipt().code(), v1::RESULT_CODE_REJECTED);
  EXPECT_NE(wrong.receipt().reason().find("is carried by 'ocean'"), std::string::npos)
      << wrong.receipt().reason();
  Step("trucker", v1::EVENT_TYPE_HANDOVER, s, {"ocean"});
  Step("ocean", v1::EVENT_TYPE_LOADED, s);
  Step("ocean", v1::EVENT_TYPE_DEPARTED, s);
  // 9.5 °C for 40 minutes at sea: beyond the 30 minutes' tolerance.
  v1::Event readings = client_->NewEvent("ocean", v1::EVENT_TYPE_SENSOR_READINGS, s);
  for (const auto& [offset_min, milli_c] :
       std::vector<std::pair<int64_t, int64_t>>{{-60, 5000}, {-50, 9500}, {-10, 6000}}) {
    v1::SensorReading* r = readings.add_readings();
    r->set_time_ms(now + offset_min * 60'000);
    r->set_value_milli(milli_c);
    r->set_unit("C");
    r->set_device_id("reefer-7");
  }
  const v1::Receipt excursion = Valid(Sign(readings));
  ASSERT_EQ(excursion.outputs_size(), 1);
  EXPECT_EQ(excursion.outputs(0).kind(), Kind::KIND_EXCURSION);
  EXPECT_EQ(excursion.outputs(0).carrier(), "ocean");
  EXPECT_EQ(excursion.outputs(0).out_of_range_ms(), 40 * 60'000);
  Step("ocean", v1::EVENT_TYPE_ARRIVED, s);
  Step("importer", v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED, s);
  Step("customs", v1::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED, s);
  // Last road leg, then delivery to the consignee.
  Step("ocean", v1::EVENT_TYPE_HANDOVER, s, {"lastmile"});
  Step("lastmile", v1::EVENT_TYPE_LOADED, s);
  Step("lastmile", v1::EVENT_TYPE_DEPARTED, s);
  Step("lastmile", v1::EVENT_TYPE_ARRIVED, s);
  Step("lastmile", v1::EVENT_TYPE_OUT_FOR_DELIVERY, s);
  Step("lastmile", v1::EVENT_TYPE_DELIVERED, s);

  v1::ShipmentState state = State(s);
  EXPECT_EQ(state.status(), v1::SHIPMENT_STATUS_DELIVERED);
  EXPECT_EQ(state.custodian(), "importer");
  EXPECT_TRUE(state.excursion());
  ASSERT_EQ(state.legs_size(), 3);
  for (const v1::Leg& leg : state.legs()) EXPECT_EQ(leg.status(), v1::LEG_STATUS_DONE);
  bool sea_segment = false;
  for (const v1::CustodySegment& seg : state.segments()) {
    if (seg.custodian() == "ocean") {
      sea_segment = true;
      EXPECT_EQ(seg.leg(), 2u);
      EXPECT_EQ(seg.max_milli_c(), 9500);
      EXPECT_EQ(seg.out_of_range_ms(), 40 * 60'000);
    }
  }
  EXPECT_TRUE(sea_segment);

  // A return within the terms is approved by the contract; the reverse legs open.
  v1::Event request = client_->NewEvent("importer", v1::EVENT_TYPE_RETURN_REQUESTED, s);
  request.mutable_return_request()->set_reason("damaged");
  request.mutable_return_request()->set_condition("unopened");
  const v1::Receipt approved = Valid(Sign(request));
  ASSERT_GE(approved.outputs_size(), 1);
  EXPECT_EQ(approved.outputs(0).kind(), Kind::KIND_RETURN_APPROVED);
  state = State(s);
  EXPECT_EQ(state.status(), v1::SHIPMENT_STATUS_RETURN_REQUESTED);
  ASSERT_EQ(state.return_legs_size(), 3);
  EXPECT_EQ(state.return_legs(2).plan().destination(), "CNSZX");

  // The watcher was alerted to the excursion.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool alerted = false;
  while (!alerted && std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard<std::mutex> lock(mu);
      for (const v1::WatchResponse& msg : seen) {
        // The alert rides on the entry (WatchResponse.alerts), from the receipt's outputs.
        for (const v1::ContractOutput& o : msg.alerts()) {
          alerted = alerted || (o.kind() == Kind::KIND_EXCURSION && o.carrier() == "ocean");
        }
      }
    }
    if (!alerted) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(alerted);
  watch_ctx.TryCancel();
  watcher.join();
}

TEST_F(ContractsJourneyTest, ReturnRequestedAfterTheWindowIsRejectedByTheContract) {
  const std::string s = "RET-LATE";
  v1::Event booked = client_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, s);
  booked.mutable_booking()->set_consignee("importer");
  *booked.mutable_booking()->add_legs() =
      Leg("DEHAM", "DEBER", v1::TRANSPORT_MODE_ROAD, "lastmile");
  booked.mutable_booking()->mutable_returns()->set_window_ms(1000);
  Valid(Sign(booked));
  Step("exporter", v1::EVENT_TYPE_HANDOVER, s, {"lastmile"});
  Step("lastmile", v1::EVENT_TYPE_PICKUP, s);
  Step("lastmile", v1::EVENT_TYPE_LOADED, s);
  Step("lastmile", v1::EVENT_TYPE_DEPARTED, s);
  Step("lastmile", v1::EVENT_TYPE_ARRIVED, s);
  Step("lastmile", v1::EVENT_TYPE_OUT_FOR_DELIVERY, s);
  Step("lastmile", v1::EVENT_TYPE_DELIVERED, s);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // block time moves past it
  v1::Event request = client_->NewEvent("importer", v1::EVENT_TYPE_RETURN_REQUESTED, s);
  request.mutable_return_request()->set_reason("damaged");
  const v1::Receipt rejected = Valid(Sign(request));
  ASSERT_EQ(rejected.outputs_size(), 1);
  EXPECT_EQ(rejected.outputs(0).kind(), Kind::KIND_RETURN_REJECTED);
  EXPECT_NE(rejected.outputs(0).reason().find("after delivery; the return window is 1 s"),
            std::string::npos)
      << rejected.outputs(0).reason();
  const v1::ShipmentState state = State(s);
  EXPECT_EQ(state.status(), v1::SHIPMENT_STATUS_DELIVERED);
  ASSERT_EQ(state.returns_size(), 1);
  EXPECT_FALSE(state.returns(0).approved());
}

}  // namespace
}  // namespace shipledger::itest
