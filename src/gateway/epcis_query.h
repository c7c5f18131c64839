// The EPCIS 2.0 query of GET /events (docs/gateway.md, "GET /events"): the standard's
// parameters the gateway answers, how a stored EPCIS event matches them, and the event's index
// entries. Parameters all hold (AND); values of one parameter are alternatives (OR), written
// separated by '|'.
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

// What an EPCIS query asks (the standard's query parameters we answer; docs/gateway.md).
// Values of one parameter are alternatives (EPCIS writes them separated by '|'); parameters
// must all hold.
struct EventQuery {
  std::vector<std::string> event_types;    // eventType: ObjectEvent, TransactionEvent
  std::vector<std::string> biz_steps;      // EQ_bizStep, as CBV URIs (bare words expanded)
  std::vector<std::string> dispositions;   // EQ_disposition, as CBV URIs
  std::vector<std::string> biz_locations;  // EQ_bizLocation
  std::vector<std::string> read_points;    // EQ_readPoint
  std::vector<std::string> epcs;           // MATCH_epc: an EPC, or a prefix ending in '*'
  // EQ_bizTransaction_<type>: (type as CBV URI, values)
  std::vector<std::pair<std::string, std::vector<std::string>>> biz_transactions;
  std::optional<int64_t> ge_event_time_ms, lt_event_time_ms;
  std::optional<int64_t> ge_record_time_ms, lt_record_time_ms;
  uint32_t per_page = 100;
  uint64_t after = 0;  // from nextPageToken: only events stored after this position
};

// Whether stored EPCIS `event` satisfies every parameter of `query` (not paging).
bool Matches(const google::protobuf::Struct& event, const EventQuery& query);

// (field letter, value) index entries of an EPCIS event.
std::vector<std::pair<char, std::string>> EpcisIndexEntries(const google::protobuf::Struct& event);
// The index the scan of `query` walks (the most selective parameter with exact values), or
// nullopt to walk every event.
std::optional<std::pair<char, std::vector<std::string>>> EpcisDrivingIndex(const EventQuery& query);

// Whether `type` is one of EPCIS 2.0's five event types.
bool IsEpcisEventType(const std::string& type);

// Adds one query parameter of GET /events to `query` (perPage unclamped); INVALID_ARGUMENT
// naming it when its value cannot be read, NOT_FOUND for a parameter this gateway does not
// answer.
Status AddEpcisParameter(const std::string& name, const std::string& value, EventQuery* query);

// An EPCISQueryDocument (the answer of GET /events and GET /events/{eventID}) holding `events`
// as the results of a SimpleEventQuery, created now.
google::protobuf::Struct EpcisQueryDocument(std::vector<google::protobuf::Struct> events);

}  // namespace shipledger::gateway
