#include "rpc/tracking.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include <ctime>
#include <optional>

#include "model/enum_names.h"
#include "model/tracking_code.h"
#include "shipledger/log.h"

namespace shipledger::rpc {

using enum LogComponent;

namespace pb = google::protobuf;

namespace {

// No shipment can have this id: validation allows no control characters in shipment ids.
constexpr std::string_view kDecoyShipment = "\x01tracking-decoy";
constexpr std::string_view kNotFoundMessage = "no shipment with this tracking code";

// "2026-11-19T10:30:00Z": seconds are precise enough for a customer.
std::string UtcSeconds(int64_t unix_ms) {
  const auto seconds = static_cast<std::time_t>(unix_ms >= 0 ? unix_ms / 1000 : 0);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(text, n);
}

// `text` as a JSON string literal, quoted and escaped (by protobuf's JSON printer).
std::string JsonString(std::string_view text) {
  pb::Value value;
  value.set_string_value(std::string(text));
  std::string out;
  if (!pb::util::MessageToJsonString(value, &out).ok()) return "\"\"";
  return out;
}

// The milestones of a shipment's committed events: VALID ones of a public type, in chain order.
Result<std::vector<Milestone>> LoadMilestones(const storage::Store& store,
                                              std::string_view shipment_id) {
  // One range scan and one batched read, as GetShipment's timeline does.
  SL_ASSIGN_OR_RETURN(std::vector<storage::Store::HistoryEntry> history,
                      store.GetShipmentHistory(shipment_id));
  std::vector<storage::EventLocation> locations;
  for (const storage::Store::HistoryEntry& e : history) locations.push_back(e.location);
  SL_ASSIGN_OR_RETURN(std::vector<v1::SignedEvent> signed_events, store.GetEventsAt(locations));
  std::vector<Milestone> milestones;
  for (size_t i = 0; i < history.size(); ++i) {
    const storage::Store::HistoryEntry& e = history[i];
    v1::Receipt receipt;
    if (!receipt.ParseFromString(e.receipt)) {
      return Status::DataLoss("stored receipt of event " + ToHex(e.id) + " does not parse");
    }
    // The receipt stored with an index entry is that copy's (a later copy is never indexed).
    if (receipt.code() != v1::RESULT_CODE_VALID || receipt.height() != e.location.height ||
        receipt.index() != e.location.index) {
      continue;
    }
    v1::Event event;
    if (!event.ParseFromString(signed_events[i].event())) {
      return Status::DataLoss("stored event " + ToHex(e.id) + " does not parse");
    }
    if (!IsPublicMilestone(event.type())) continue;
    milestones.push_back(Milestone{event.type(), e.block_time_ms, event.location()});
  }
  return milestones;
}

// What an unknown code reads instead of a shipment, so that it costs what a known code with a
// one-event shipment costs (docs/tracking.md): a state read and a shipment index scan that
// miss, and one key of events. The results are ignored.
void ReadDecoy(const storage::Store& store) {
  const uint64_t head = store.head().height;
  (void)store.ReadShipmentState(kDecoyShipment);
  (void)store.GetShipmentHistory(kDecoyShipment);
  (void)store.GetEventsAt({storage::EventLocation{head, 0}});
}

}  // namespace

bool IsPublicMilestone(v1::EventType type) {
  switch (type) {
    case v1::EVENT_TYPE_SENSOR_READINGS:
    case v1::EVENT_TYPE_CARRIER_OFFER:
    case v1::EVENT_TYPE_CARRIER_WITHDRAWAL:
    case v1::EVENT_TYPE_LEG_REASSIGNMENT:
    case v1::EVENT_TYPE_DUTIES_PAID:
    case v1::EVENT_TYPE_ERROR_DECLARATION:
    case v1::EVENT_TYPE_CERTIFICATE_REVOCATION:
    case v1::EVENT_TYPE_UNSPECIFIED:
      return false;
    default:
      return v1::EventType_IsValid(type);
  }
}

Result<PublicTracking> LookUpTracking(const storage::Store& store, std::string_view typed) {
  // Every code, well-formed or not, is canonicalised, hashed and looked up.
  const std::string canonical = model::CanonicalTrackingCode(typed);
  const bool well_formed = model::IsWellFormedTrackingCode(canonical);
  Result<std::string> owner = store.GetShipmentByTrackingHash(model::TrackingHash(canonical));
  if (!owner.ok() && owner.status().code() != Code::kNotFound) return owner.status();
  std::optional<v1::ShipmentState> state;
  if (owner.ok() && well_formed) {
    SL_ASSIGN_OR_RETURN(state, store.ReadShipmentState(*owner));
  }
  if (!state) {
    ReadDecoy(store);
    return Status::NotFound(std::string(kNotFoundMessage));
  }
  PublicTracking tracking;
  tracking.status = state->status();
  SL_ASSIGN_OR_RETURN(tracking.milestones, LoadMilestones(store, *owner));
  return tracking;
}

// Written field by field, in a fixed order: equal answers are equal bytes.
std::string TrackingJson(const PublicTracking& tracking) {
  std::string out =
      "{\"status\":" + JsonString(model::ShipmentStatusName(tracking.status)) + ",\"milestones\":[";
  for (size_t i = 0; i < tracking.milestones.size(); ++i) {
    const Milestone& m = tracking.milestones[i];
    out += i == 0 ? "{" : ",{";
    out += "\"type\":" + JsonString(model::EventTypeName(m.type));
    out += ",\"time\":" + JsonString(UtcSeconds(m.block_time_ms));
    if (!m.location.empty()) out += ",\"location\":" + JsonString(m.location);
    out += "}";
  }
  return out + "]}";
}

HttpAnswer AnswerTrackingGet(const storage::Store& store, std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  if (!path.starts_with(kTrackPathPrefix)) {
    return {404, ErrorJson("not_found", "unknown path; use GET /v1/track/{code}")};
  }
  path.remove_prefix(kTrackPathPrefix.size());
  Result<PublicTracking> tracking = LookUpTracking(store, path);
  if (tracking.ok()) return {200, TrackingJson(*tracking)};
  if (tracking.status().code() == Code::kNotFound) {
    return {404, ErrorJson("not_found", kNotFoundMessage)};
  }
  Log(kTracking).error("tracking: cannot read the store: {}", tracking.status().ToString());
  return {500, ErrorJson("internal", "the tracking service cannot answer now; try later")};
}

}  // namespace shipledger::rpc
