// A shipment's timeline with an event of every type, written for the interop tests: a cold-chain
// journey Hamburg -> Shanghai with customs of both sides, a hold, readings in and out of range,
// a return, an error declaration, the network's bookkeeping events and a rejected event.
#pragma once

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <string>

#include "shipledger/v1/ledger.pb.h"

namespace shipledger::interop::testing {

// `text` parsed as a JSON object (an EPCIS or DCSA event, a document); a test failure when it
// does not parse.
inline google::protobuf::Struct Json(const std::string& text) {
  google::protobuf::Struct out;
  const auto s = google::protobuf::util::JsonStringToMessage(text, &out);
  EXPECT_TRUE(s.ok()) << s.message() << "\n" << text;
  return out;
}

inline constexpr int64_t kT0 = 1772359200000;  // 2026-03-01T10:00:00Z

// Positions (1-based) of some events in SampleJourney().
inline constexpr int kHandover = 7;
inline constexpr int kReadings = 10;
inline constexpr int kInspection = 18;
inline constexpr int kException = 19;

inline std::string Id(int n) { return std::string(31, '\x11') + static_cast<char>(n); }

inline v1::Event NewEvent(v1::EventType type, const std::string& signer, int minute,
                          const std::string& location) {
  v1::Event e;
  e.set_chain_id("sample-chain");
  e.set_shipment_id("SHP-2026-0042");
  e.set_type(type);
  e.set_signer_org(signer);
  e.set_occurred_at_ms(kT0 + minute * 60'000LL);
  e.set_location(location);
  e.set_nonce(std::string(16, static_cast<char>(minute + 1)));
  return e;
}

inline void AddRef(v1::Event* e, const std::string& kind, const std::string& value) {
  auto* r = e->add_references();
  r->set_kind(kind);
  r->set_value(value);
}

inline void AddDetail(v1::Event* e, const std::string& key, const std::string& value) {
  auto* d = e->add_details();
  d->set_key(key);
  d->set_value(value);
}

inline v1::TimelineEntry Entry(int n, v1::Event event,
                               v1::ResultCode code = v1::RESULT_CODE_VALID) {
  v1::TimelineEntry entry;
  entry.set_event_id(Id(n));
  entry.set_height(static_cast<uint64_t>(10 + n));
  entry.set_index(static_cast<uint32_t>(n % 3));
  entry.set_block_time_ms(event.occurred_at_ms() + 1500);
  for (const auto& org : event.cosigner_orgs()) entry.add_cosigner_orgs(org);
  entry.mutable_receipt()->set_event_id(Id(n));
  entry.mutable_receipt()->set_code(code);
  if (code != v1::RESULT_CODE_VALID) entry.mutable_receipt()->set_reason("only the custodian");
  *entry.mutable_event() = std::move(event);
  return entry;
}

inline v1::GetShipmentResponse SampleJourney() {
  using T = v1::EventType;
  v1::GetShipmentResponse out;
  auto* state = out.mutable_state();
  state->set_shipment_id("SHP-2026-0042");
  state->mutable_cold_chain()->set_min_milli_c(2000);
  state->mutable_cold_chain()->set_max_milli_c(8000);
  state->mutable_cold_chain()->set_tolerance_ms(600'000);
  auto* route = state->add_legs()->mutable_plan();
  route->set_origin("DEHAM");
  route->set_destination("CNSHA");
  route->set_mode(v1::TRANSPORT_MODE_SEA);
  int n = 0;
  auto add = [&](v1::Event e, v1::ResultCode code = v1::RESULT_CODE_VALID) {
    *out.add_timeline() = Entry(++n, std::move(e), code);
  };

  v1::Event booked = NewEvent(T::EVENT_TYPE_BOOKED, "Exporter", 0, "DEHAM");
  AddRef(&booked, "booking", "BKG-7781");
  AddRef(&booked, "bill_of_lading", "HLCUHAM260300042");
  AddRef(&booked, "container", "CSQU3054383");
  AddRef(&booked, "container", "crate 7");
  AddRef(&booked, "purchase_order", "urn:epcglobal:cbv:bt:4012345000009:PO-1");
  booked.add_parties("Exporter");
  booked.add_parties("Carrier");
  booked.add_parties("Importer");
  booked.set_tracking_hash(std::string(32, '\x5a'));
  auto* doc = booked.add_documents();
  doc->set_kind("commercial_invoice");
  doc->set_sha256(std::string(32, '\x01'));
  AddDetail(&booked, "goods", "vaccines");
  AddDetail(&booked, "goods", "syringes");
  booked.mutable_booking()->set_consignee("Importer");
  booked.mutable_booking()->mutable_cold_chain()->set_min_milli_c(2000);
  booked.mutable_booking()->mutable_cold_chain()->set_max_milli_c(8000);
  auto* leg = booked.mutable_booking()->add_legs();
  leg->set_origin("DEHAM");
  leg->set_destination("CNSHA");
  leg->set_mode(v1::TRANSPORT_MODE_SEA);
  leg->set_carrier("Carrier");
  add(booked);

  add(NewEvent(T::EVENT_TYPE_PICKUP, "Exporter", 30, "DEHAM"));
  v1::Event declared = NewEvent(T::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, "Exporter", 60, "DEHAM");
  AddRef(&declared, "customs_declaration", "26DE123456789012E1");
  declared.add_parties("CustomsDE");
  add(declared);
  v1::Event held = NewEvent(T::EVENT_TYPE_EXPORT_CUSTOMS_HELD, "CustomsDE", 70, "DEHAM");
  AddDetail(&held, "reason", "documents incomplete");
  add(held);
  add(NewEvent(T::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED, "CustomsDE", 80, "DEHAM"));
  add(NewEvent(T::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, "CustomsDE", 90, "DEHAM"));
  v1::Event handover = NewEvent(T::EVENT_TYPE_HANDOVER, "Exporter", 100, "DEHAM");
  handover.add_cosigner_orgs("Carrier");
  add(handover);
  v1::Event loaded = NewEvent(T::EVENT_TYPE_LOADED, "Carrier", 120, "DEHAM");
  AddRef(&loaded, "container", "CSQU3054383");
  add(loaded);
  v1::Event departed = NewEvent(T::EVENT_TYPE_DEPARTED, "Carrier", 180, "DEHAM");
  AddDetail(&departed, "vessel", "MAERSK ESSEX");
  AddDetail(&departed, "vessel_imo", "9632179");
  add(departed);
  v1::Event readings = NewEvent(T::EVENT_TYPE_SENSOR_READINGS, "Carrier", 240, "");
  for (int i = 0; i < 3; ++i) {
    auto* r = readings.add_readings();
    r->set_time_ms(kT0 + (200 + i * 10) * 60'000LL);
    r->set_value_milli(i == 1 ? 9500 : 4250);
    r->set_unit("C");
    r->set_device_id("logger-17");
  }
  auto* f = readings.add_readings();
  f->set_time_ms(kT0 + 235 * 60'000LL);
  f->set_value_milli(41000);  // 41 °F = 5 °C: in range
  f->set_unit("F");
  add(readings);
  add(NewEvent(T::EVENT_TYPE_ARRIVED, "Carrier", 40'000, "CNSHA"));
  add(NewEvent(T::EVENT_TYPE_DISCHARGED, "Carrier", 40'060, "CNSHA"));
  add(NewEvent(T::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED, "Importer", 40'100, "CNSHA"));
  add(NewEvent(T::EVENT_TYPE_IMPORT_CUSTOMS_HELD, "CustomsCN", 40'110, "CNSHA"));
  add(NewEvent(T::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED, "CustomsCN", 40'120, "CNSHA"));
  add(NewEvent(T::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED, "CustomsCN", 40'130, "CNSHA"));
  add(NewEvent(T::EVENT_TYPE_DUTIES_PAID, "Importer", 40'140, "CNSHA"));
  v1::Event inspection = NewEvent(T::EVENT_TYPE_INSPECTION, "CustomsCN", 40'150, "CNSHA");
  auto* secret = inspection.mutable_private_envelope()->add_fields();
  secret->set_name("seal_number");
  secret->set_commitment(std::string(32, '\x02'));
  add(inspection);
  v1::Event exception = NewEvent(T::EVENT_TYPE_EXCEPTION, "Carrier", 40'160, "CNSHA");
  AddDetail(&exception, "what", "pallet damaged");
  add(exception);
  add(NewEvent(T::EVENT_TYPE_OUT_FOR_DELIVERY, "Carrier", 40'200, "CNSHA"));
  add(NewEvent(T::EVENT_TYPE_DELIVERED, "Carrier", 40'300, "CNSHA"));
  v1::Event ret = NewEvent(T::EVENT_TYPE_RETURN_REQUESTED, "Importer", 41'000, "CNSHA");
  ret.mutable_return_request()->set_reason("damaged");
  ret.mutable_return_request()->set_condition("unopened");
  add(ret);
  add(NewEvent(T::EVENT_TYPE_RETURN_PICKED_UP, "Carrier", 41'100, "CNSHA"));
  add(NewEvent(T::EVENT_TYPE_RETURNED, "Carrier", 80'000, "DEHAM"));

  // The exception (event 19) was wrong: the inspection (18) shows the pallet intact.
  v1::Event declaration = NewEvent(T::EVENT_TYPE_ERROR_DECLARATION, "Carrier", 80'010, "");
  declaration.mutable_error_declaration()->set_event_id(Id(kException));
  declaration.mutable_error_declaration()->set_reason("incorrect_data");
  declaration.mutable_error_declaration()->add_corrective_event_ids(Id(kInspection));
  add(declaration);
  v1::Event party = NewEvent(T::EVENT_TYPE_PARTY_ADDED, "Exporter", 80'020, "");
  party.add_parties("Insurer");
  add(party);
  add(NewEvent(T::EVENT_TYPE_DELIVERED, "Importer", 80'030, "DEHAM"), v1::RESULT_CODE_REJECTED);
  return out;
}

}  // namespace shipledger::interop::testing
