// What execution of one block produces (DESIGN §1, §5), the read-only view of committed state it
// executes against, and the chain an executed block is written to. Implemented by storage/ (and
// an in-memory chain in the tests and the simulator), produced by contracts/ (contracts/commit.h
// is the one path from an ordered block to a stored one).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/event.h"
#include "shipledger/bytes.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::model {

// What execution recorded of a committed event (contract rules v2 read it for corrections).
struct EventFacts {
  std::string shipment_id;
  std::string signer_org;
  v1::EventType type = v1::EVENT_TYPE_UNSPECIFIED;
  v1::ResultCode code = v1::RESULT_CODE_UNSPECIFIED;
  uint64_t height = 0;
};

// Read-only access to committed state. Implementations are thread-safe.
class StateReader {
 public:
  virtual ~StateReader() = default;
  // The committed contract state of a shipment, or nullopt if it was never booked.
  virtual std::optional<v1::ShipmentState> GetShipmentState(std::string_view shipment_id) const = 0;
  // True if an event with this id is committed (any result).
  virtual bool HasEvent(ByteView event_id) const = 0;
  // The facts of a committed event (its first copy), or nullopt if no event has this id.
  virtual std::optional<EventFacts> GetEventFacts(ByteView event_id) const = 0;
  // Contract records (rules v2: carrier offers, the open-leg index) by key, and every record
  // whose key starts with `prefix`, in key order.
  virtual std::optional<Bytes> GetRecord(std::string_view key) const = 0;
  virtual std::vector<std::pair<std::string, Bytes>> ScanRecords(std::string_view prefix) const = 0;
  // Every record with `begin` <= key < `end`, in key order (rules v3: the offer-expiry index up
  // to block time, the open legs an offer's validity reaches).
  virtual std::vector<std::pair<std::string, Bytes>> ScanRecordRange(
      std::string_view begin, std::string_view end) const = 0;
};

struct Limits;  // model/genesis.h

struct BlockContext {
  uint64_t height = 0;
  int64_t block_time_ms = 0;
  uint32_t rules_version = 1;  // Genesis::ContractRulesAt(height)
  // The genesis limits the contracts enforce (rules v3: open offers per organisation, open legs
  // per shipment). nullptr: the defaults of Limits.
  const Limits* limits = nullptr;
};

struct BlockEffects {
  std::vector<v1::Receipt> receipts;                      // one per event, in block order
  std::map<std::string, v1::ShipmentState> state_writes;  // by shipment id, final per block
  // Contract records written by this block (rules v2); nullopt deletes the key.
  std::map<std::string, std::optional<Bytes>> record_writes;
  Bytes receipts_root;
  // SHA-256 over (id, deterministic state bytes) in id order, then, only when the block wrote
  // contract records, (key, value or deletion) in key order.
  Bytes state_writes_digest;
};

// Committed state that executed blocks are written to, in height order.
class ChainWriter : public StateReader {
 public:
  // The results digest at the head (32 zero bytes at height 0).
  virtual Bytes HeadResults() const = 0;
  // Writes `block` (its events given apart, in order), what executing it changed and the
  // results digest at its height, all or nothing; an error leaves the chain as it was.
  virtual Status CommitBlock(const v1::Block& block, const std::vector<EventPtr>& events,
                             const BlockEffects& effects, ByteView results_digest) = 0;
};

// Separates the contract records from the shipment states in the state-writes digest.
inline constexpr std::string_view kRecordsDomain = "shipledger/records/v1";

// SHA-256 over kStateDomain, then (length-prefixed id, length-prefixed deterministic state bytes)
// in id order; then, only if `records` is not empty, kRecordsDomain and per record in key order
// (length-prefixed key, 0x01 and the length-prefixed value, or 0x00 for a deletion).
Bytes StateWritesDigest(const std::map<std::string, v1::ShipmentState>& writes,
                        const std::map<std::string, std::optional<Bytes>>& records);

}  // namespace shipledger::model
