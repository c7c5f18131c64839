// What execution of one block produces (DESIGN §1, §5), and the read-only view of committed
// state it executes against. Implemented by storage/, produced by contracts/.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shipledger/bytes.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::model {

// Read-only access to committed state. Implementations are thread-safe.
class StateReader {
 public:
  virtual ~StateReader() = default;
  // The committed contract state of a shipment, or nullopt if it was never booked.
  virtual std::optional<v1::ShipmentState> GetShipmentState(std::string_view shipment_id) const = 0;
  // True if an event with this id is committed (any result).
  virtual bool HasEvent(ByteView event_id) const = 0;
};

struct BlockContext {
  uint64_t height = 0;
  int64_t block_time_ms = 0;
};

struct BlockEffects {
  std::vector<v1::Receipt> receipts;                      // one per event, in block order
  std::map<std::string, v1::ShipmentState> state_writes;  // by shipment id, final per block
  Bytes receipts_root;
  Bytes state_writes_digest;  // SHA-256 over (id, deterministic state bytes) in id order
};

}  // namespace shipledger::model
