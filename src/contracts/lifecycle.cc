#include "contracts/lifecycle.h"

#include <cstdint>

namespace shipledger::contracts {
namespace {

using Status = v1::ShipmentStatus;
using Type = v1::EventType;

constexpr Status kBooked = v1::SHIPMENT_STATUS_BOOKED;
constexpr Status kPickedUp = v1::SHIPMENT_STATUS_PICKED_UP;
constexpr Status kAtExportCustoms = v1::SHIPMENT_STATUS_AT_EXPORT_CUSTOMS;
constexpr Status kExportCleared = v1::SHIPMENT_STATUS_EXPORT_CLEARED;
constexpr Status kLoaded = v1::SHIPMENT_STATUS_LOADED;
constexpr Status kInTransit = v1::SHIPMENT_STATUS_IN_TRANSIT;
constexpr Status kArrived = v1::SHIPMENT_STATUS_ARRIVED;
constexpr Status kAtImportCustoms = v1::SHIPMENT_STATUS_AT_IMPORT_CUSTOMS;
constexpr Status kImportCleared = v1::SHIPMENT_STATUS_IMPORT_CLEARED;
constexpr Status kOutForDelivery = v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY;
constexpr Status kDelivered = v1::SHIPMENT_STATUS_DELIVERED;
constexpr Status kReturnRequested = v1::SHIPMENT_STATUS_RETURN_REQUESTED;
constexpr Status kReturnInTransit = v1::SHIPMENT_STATUS_RETURN_IN_TRANSIT;
constexpr Status kReturned = v1::SHIPMENT_STATUS_RETURNED;
// In a transition's `to`: the event leaves the status as it is.
constexpr Status kUnchanged = v1::SHIPMENT_STATUS_UNSPECIFIED;

template <typename... Statuses>
constexpr uint32_t Set(Statuses... statuses) {
  return ((uint32_t{1} << static_cast<unsigned>(statuses)) | ...);
}

constexpr uint32_t kBeforeDelivery =
    Set(kBooked, kPickedUp, kAtExportCustoms, kExportCleared, kLoaded, kInTransit, kArrived,
        kAtImportCustoms, kImportCleared, kOutForDelivery);
constexpr uint32_t kDuringReturn = Set(kReturnRequested, kReturnInTransit);

struct Transition {
  Type type;
  uint32_t from;  // set of statuses the event is allowed in
  Status to;      // the resulting status, or kUnchanged
};

// The lifecycle transition table (contract rules v1). For each event type, the statuses it is
// allowed from and the status it leads to; the first matching row wins. Status records how far
// the goods have travelled; a customs hold is recorded separately (ShipmentState.hold) and stops
// every goods movement until released. Customs is optional: loading straight after pickup and
// delivery straight after arrival are allowed, but once a customs event of a side has moved the
// shipment to AT_*_CUSTOMS, the goods move on only after clearance (cleared, or the release of a
// hold, which customs practice treats as release of the goods).
constexpr Transition kTransitions[] = {
    {v1::EVENT_TYPE_PICKUP, Set(kBooked), kPickedUp},
    // Export side: after pickup, before departure.
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, Set(kPickedUp, kAtExportCustoms), kAtExportCustoms},
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD, Set(kPickedUp), kAtExportCustoms},
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD, Set(kAtExportCustoms, kExportCleared, kLoaded),
     kUnchanged},
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, Set(kAtExportCustoms), kExportCleared},
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED, Set(kAtExportCustoms), kExportCleared},
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED, Set(kExportCleared, kLoaded), kUnchanged},
    {v1::EVENT_TYPE_LOADED, Set(kPickedUp, kExportCleared), kLoaded},
    {v1::EVENT_TYPE_DEPARTED, Set(kLoaded), kInTransit},
    {v1::EVENT_TYPE_ARRIVED, Set(kInTransit), kArrived},
    {v1::EVENT_TYPE_DISCHARGED, Set(kInTransit, kArrived), kArrived},
    // Import side: after arrival, before out for delivery.
    {v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED, Set(kArrived, kAtImportCustoms), kAtImportCustoms},
    {v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, Set(kArrived), kAtImportCustoms},
    {v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, Set(kAtImportCustoms, kImportCleared), kUnchanged},
    {v1::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED, Set(kAtImportCustoms), kImportCleared},
    {v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED, Set(kAtImportCustoms), kImportCleared},
    {v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED, Set(kImportCleared), kUnchanged},
    {v1::EVENT_TYPE_OUT_FOR_DELIVERY, Set(kArrived, kImportCleared), kOutForDelivery},
    {v1::EVENT_TYPE_DELIVERED, Set(kOutForDelivery), kDelivered},
    // Returns.
    {v1::EVENT_TYPE_RETURN_REQUESTED, Set(kDelivered), kReturnRequested},
    {v1::EVENT_TYPE_RETURN_PICKED_UP, Set(kReturnRequested), kReturnInTransit},
    {v1::EVENT_TYPE_RETURNED, Set(kReturnInTransit), kReturned},
    // Any time before delivery (handovers also during a return).
    {v1::EVENT_TYPE_HANDOVER, kBeforeDelivery | kDuringReturn, kUnchanged},
    {v1::EVENT_TYPE_SENSOR_READINGS, kBeforeDelivery, kUnchanged},
    {v1::EVENT_TYPE_INSPECTION, kBeforeDelivery, kUnchanged},
    {v1::EVENT_TYPE_EXCEPTION, kBeforeDelivery, kUnchanged},
    {v1::EVENT_TYPE_DUTIES_PAID, kBeforeDelivery, kUnchanged},
};

// Rows contract rules v2 add to the table (docs/contracts.md), tried after the v1 rows:
// multimodal routes load again after an arrival (the next leg), export customs may be passed at
// the port after a first leg, on-carriage may follow import clearance, and during a return
// customs of both sides, sensor readings, inspections and exceptions are recorded.
constexpr uint32_t kDuringReturnOnly = kDuringReturn;
constexpr Transition kTransitionsV2[] = {
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, Set(kArrived), kAtExportCustoms},
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD, Set(kArrived), kAtExportCustoms},
    {v1::EVENT_TYPE_LOADED, Set(kArrived, kImportCleared), kLoaded},
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, kDuringReturnOnly, kUnchanged},
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, kDuringReturnOnly, kUnchanged},
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD, kDuringReturnOnly, kUnchanged},
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED, kDuringReturnOnly, kUnchanged},
    {v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED, kDuringReturnOnly, kUnchanged},
    {v1::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED, kDuringReturnOnly, kUnchanged},
    {v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, kDuringReturnOnly, kUnchanged},
    {v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED, kDuringReturnOnly, kUnchanged},
    {v1::EVENT_TYPE_SENSOR_READINGS, kDuringReturnOnly, kUnchanged},
    {v1::EVENT_TYPE_INSPECTION, kDuringReturnOnly, kUnchanged},
    {v1::EVENT_TYPE_EXCEPTION, kDuringReturnOnly, kUnchanged},
};

// Event types rules v2 apply outside the lifecycle table (contracts/contract_v2.cc).
bool IsV2OnlyType(v1::EventType type) {
  switch (type) {
    case v1::EVENT_TYPE_CARRIER_OFFER:
    case v1::EVENT_TYPE_CARRIER_WITHDRAWAL:
    case v1::EVENT_TYPE_LEG_REASSIGNMENT:
    case v1::EVENT_TYPE_ERROR_DECLARATION:
      return true;
    default:
      return false;
  }
}

struct Rule {
  Type type;
  std::string_view text;
};

constexpr Rule kRules[] = {
    {v1::EVENT_TYPE_PICKUP, "pickup follows booking"},
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED,
     "export customs is declared after pickup and before clearance"},
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD,
     "export customs may hold a shipment from pickup until "
     "departure"},
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED,
     "export clearance is granted only while the shipment is at export customs"},
    {v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED,
     "export customs may release a shipment only between its hold and departure"},
    {v1::EVENT_TYPE_LOADED,
     "loading follows pickup, and export clearance once export customs is involved"},
    {v1::EVENT_TYPE_DEPARTED, "departure follows loading"},
    {v1::EVENT_TYPE_ARRIVED, "arrival follows departure"},
    {v1::EVENT_TYPE_DISCHARGED, "discharge follows departure or arrival"},
    {v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED,
     "import customs is declared after arrival and before clearance"},
    {v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD,
     "import customs may hold a shipment from arrival until it is out for delivery"},
    {v1::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED,
     "import clearance is granted only while the shipment is at import customs"},
    {v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED,
     "import customs may release a shipment only between its hold and out for delivery"},
    {v1::EVENT_TYPE_OUT_FOR_DELIVERY,
     "out for delivery follows arrival, and import clearance once import customs is involved"},
    {v1::EVENT_TYPE_DELIVERED, "delivery follows out for delivery"},
    {v1::EVENT_TYPE_RETURN_REQUESTED, "a return may be requested only after delivery"},
    {v1::EVENT_TYPE_RETURN_PICKED_UP, "return pickup follows a return request"},
    {v1::EVENT_TYPE_RETURNED, "a return completes only after return pickup"},
    {v1::EVENT_TYPE_HANDOVER, "a handover is possible before delivery and during a return"},
    {v1::EVENT_TYPE_SENSOR_READINGS, "sensor readings are recorded only before delivery"},
    {v1::EVENT_TYPE_INSPECTION, "inspections are recorded only before delivery"},
    {v1::EVENT_TYPE_EXCEPTION, "exceptions are recorded only before delivery"},
    {v1::EVENT_TYPE_DUTIES_PAID, "duties are paid only before delivery"},
};

// "EVENT_TYPE_EXPORT_CUSTOMS_DECLARED" without `prefix`, lower-cased.

}  // namespace

bool IsSupportedType(v1::EventType type, uint32_t rules) {
  if (type == v1::EVENT_TYPE_BOOKED) return true;
  if (rules >= 3 && type == v1::EVENT_TYPE_PARTY_ADDED) return true;
  if (rules >= 2 && IsV2OnlyType(type)) return true;
  for (const Transition& t : kTransitions) {
    if (t.type == type) return true;
  }
  return false;
}

bool IsCustodyEvent(v1::EventType type) {
  return MovesGoods(type) || type == v1::EVENT_TYPE_SENSOR_READINGS;
}

bool MovesGoods(v1::EventType type) {
  switch (type) {
    case v1::EVENT_TYPE_PICKUP:
    case v1::EVENT_TYPE_HANDOVER:
    case v1::EVENT_TYPE_LOADED:
    case v1::EVENT_TYPE_DEPARTED:
    case v1::EVENT_TYPE_ARRIVED:
    case v1::EVENT_TYPE_DISCHARGED:
    case v1::EVENT_TYPE_OUT_FOR_DELIVERY:
    case v1::EVENT_TYPE_DELIVERED:
    case v1::EVENT_TYPE_RETURN_PICKED_UP:
    case v1::EVENT_TYPE_RETURNED:
      return true;
    default:
      return false;
  }
}

v1::CustomsSide CustomsSideOf(v1::EventType type) {
  switch (type) {
    case v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED:
    case v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED:
    case v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD:
    case v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED:
      return v1::CUSTOMS_SIDE_EXPORT;
    case v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED:
    case v1::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED:
    case v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD:
    case v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED:
      return v1::CUSTOMS_SIDE_IMPORT;
    default:
      return v1::CUSTOMS_SIDE_NONE;
  }
}

bool IsCustomsDecision(v1::EventType type) {
  return CustomsSideOf(type) != v1::CUSTOMS_SIDE_NONE &&
         type != v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED &&
         type != v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED;
}

bool AllowedAfterDelivery(v1::EventType type, v1::ShipmentStatus status, uint32_t rules) {
  if (type == v1::EVENT_TYPE_RETURN_REQUESTED || type == v1::EVENT_TYPE_RETURN_PICKED_UP ||
      type == v1::EVENT_TYPE_RETURNED || type == v1::EVENT_TYPE_HANDOVER) {
    return true;
  }
  if (rules < 2 || status == v1::SHIPMENT_STATUS_DELIVERED) return false;
  for (const Transition& t : kTransitionsV2) {
    if (t.type == type && (t.from & kDuringReturn) != 0) return true;
  }
  return false;
}

std::optional<v1::ShipmentStatus> NextStatus(v1::EventType type, v1::ShipmentStatus status,
                                             uint32_t rules) {
  if (status < 0 || status >= 32) return std::nullopt;
  for (const Transition& t : kTransitions) {
    if (t.type == type && (t.from & Set(status)) != 0) {
      return t.to == kUnchanged ? status : t.to;
    }
  }
  if (rules < 2) return std::nullopt;
  for (const Transition& t : kTransitionsV2) {
    if (t.type == type && (t.from & Set(status)) != 0) {
      return t.to == kUnchanged ? status : t.to;
    }
  }
  return std::nullopt;
}

std::string_view TransitionRule(v1::EventType type) {
  for (const Rule& rule : kRules) {
    if (rule.type == type) return rule.text;
  }
  return "the event type has no lifecycle transition";
}

std::string TypeNameUnder(v1::EventType type, uint32_t rules) {
  // party_added (30) joined the protocol with rules v3; to earlier rules it was a number
  // without a name, and their receipts say so.
  if (type == v1::EVENT_TYPE_PARTY_ADDED && rules < 3) return "unspecified";
  return model::EventTypeName(type);
}

std::string SideName(v1::CustomsSide side) {
  switch (side) {
    case v1::CUSTOMS_SIDE_EXPORT:
      return "export";
    case v1::CUSTOMS_SIDE_IMPORT:
      return "import";
    default:
      return "none";
  }
}

}  // namespace shipledger::contracts
