// The public tracking answer (docs/tracking.md): what GET /v1/track/{code} shows of a shipment
// — its status and, per milestone, the event type, block time and location — built from the
// store without sockets, so it is unit-testable. Nothing else of the shipment leaves here: no
// organisations, references, documents, details, private fields, event ids or heights.
// Thread-safety: free functions; the store is thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rpc/http_server.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"
#include "storage/store.h"

namespace shipledger::rpc {

inline constexpr std::string_view kTrackPathPrefix = "/v1/track/";

struct Milestone {
  v1::EventType type = v1::EVENT_TYPE_UNSPECIFIED;
  int64_t block_time_ms = 0;
  std::string location;  // UN/LOCODE; empty when the event named none
};

struct PublicTracking {
  v1::ShipmentStatus status = v1::SHIPMENT_STATUS_UNSPECIFIED;
  std::vector<Milestone> milestones;  // chain order
};

// True for the event types shown as milestones: the physical and customs journey. Sensor
// readings, carrier offers and withdrawals, leg reassignments, duties paid, error declarations
// and certificate revocations are commercial or internal and never shown.
bool IsPublicMilestone(v1::EventType type);

// The public view of the shipment whose VALID booking carried TrackingHash(canonical `typed`).
// Only VALID events are milestones. NOT_FOUND ("no shipment with this tracking code") for an
// unknown or malformed code, after the same work as for a known one: the code is always
// canonicalised, hashed and looked up, and an unknown one then reads a decoy shipment's state,
// events, block time and receipt (docs/tracking.md, "equal work"). DATA_LOSS / INTERNAL when
// the store cannot be read.
Result<PublicTracking> LookUpTracking(const storage::Store& store, std::string_view typed);

// {"status":"in_transit","milestones":[{"type":"booked","time":"2026-...Z","location":"DEHAM"}]}
std::string TrackingJson(const PublicTracking& tracking);
// The answer to GET `target` (path and optional query, as in the request line): 200 with
// TrackingJson for /v1/track/{code} of a known code; 404 with the one not-found body for an
// unknown or malformed code, and with another for any other path; 500 when the store fails.
HttpAnswer AnswerTrackingGet(const storage::Store& store, std::string_view target);

}  // namespace shipledger::rpc
