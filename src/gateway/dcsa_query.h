// The DCSA Track & Trace 2.2 filters of GET /v2/events and of an event subscription
// (docs/gateway.md, "DCSA T&T 2.2"): what they ask, how a DCSA event (interop::DcsaEventOf)
// matches them, and the index entries of an event. Filters all hold (AND); the values of a
// list filter are alternatives (OR), written comma-separated in a query.
// Thread-safety: pure functions.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "shipledger/status.h"

namespace shipledger::gateway {

struct DcsaQuery {
  std::vector<std::string> event_types;      // SHIPMENT, TRANSPORT, EQUIPMENT
  std::vector<std::string> shipment_codes;   // shipmentEventTypeCode
  std::vector<std::string> document_types;   // documentTypeCode
  std::vector<std::string> transport_codes;  // transportEventTypeCode
  std::vector<std::string> equipment_codes;  // equipmentEventTypeCode
  std::string booking;                       // carrierBookingReference (or bookingReference)
  std::string transport_document;            // transportDocumentReference
  std::string equipment;                     // equipmentReference
  std::string location;                      // UNLocationCode
  std::string transport_call;                // transportCallID
  // Filters on what shipledger's DCSA events never carry (vesselIMONumber, carrierVoyageNumber,
  // exportVoyageNumber, carrierServiceCode): given, they match nothing.
  bool unmatchable = false;
  // eventCreatedDateTime[:gte|:gt|:lte|:lt|:eq], as Unix ms bounds.
  std::optional<int64_t> created_min, created_max;  // inclusive
  uint32_t limit = 100;
  uint64_t after = 0;  // from the cursor: only events stored after this position
};

// (field letter, value) index entries of a DCSA event.
std::vector<std::pair<char, std::string>> DcsaIndexEntries(const google::protobuf::Struct& event);
// The index the scan of `query` walks: (field letter, values), or nullopt to walk every event.
std::optional<std::pair<char, std::vector<std::string>>> DcsaDrivingIndex(const DcsaQuery& query);

bool MatchesDcsa(const google::protobuf::Struct& event, const DcsaQuery& query);

// Adds one query parameter of GET /v2/events to `query`; INVALID_ARGUMENT naming it when its
// value is not one T&T 2.2 allows, NOT_FOUND for a parameter this gateway does not answer.
Status AddDcsaParameter(const std::string& name, const std::string& value, DcsaQuery* query);

// The filters of a subscription body (SubscriptionBody: every field but callbackUrl, secret
// and subscriptionID is a filter); INVALID_ARGUMENT naming a field that is wrong.
Status DcsaFiltersOf(const google::protobuf::Struct& subscription, DcsaQuery* query);

}  // namespace shipledger::gateway
