// Shared data of the micro-benchmarks: a four-organisation network whose parties sign realistic
// shipment events the way `shipledger event submit` does, a stream of such events as a busy
// network sees them, blocks ordered from them as PBFT orders them, and their execution and commit
// as the node's commit thread does them.
// Thread-safety: BenchNetwork's const methods may be called from any thread; JourneyStream is
// for one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/identity.h"
#include "contracts/commit.h"
#include "model/event.h"
#include "model/execution.h"
#include "model/validation.h"
#include "shipledger/check.h"
#include "shipledger/v1/types.pb.h"
#include "storage/store.h"
#include "testing/test_network.h"

namespace shipledger::bench {

// The value of `r`; stops (SHIPLEDGER_CHECK) with its status otherwise. For set-up only.
template <typename T>
T Must(Result<T> r) {
  SHIPLEDGER_CHECK_MSG(r.ok(), r.status().ToString().c_str());
  return std::move(r).value();
}

// A full export-import journey (booking to delivery, DESIGN §4) has this many events; a long one
// adds sensor readings in transit up to kLongJourneyEvents.
inline constexpr int kJourneyEvents = 12;
inline constexpr int kLongJourneyEvents = 100;
// Events per block in the block and store benchmarks.
inline constexpr int kBlockEvents = 500;

// Organisations exporter, forwarder, customs and importer (TestNetwork's defaults), each running
// one of four replicas, so a commit certificate holds 2f+1 = 3 votes.
class BenchNetwork {
 public:
  // The contract rules (from height 1) and limits of the genesis; the benchmarks execute blocks
  // under them as a node does (contracts::CommitBlock). Default: the latest rules, the default
  // limits.
  struct Options {
    uint32_t rules = model::kLatestContractRules;
    model::Limits limits;
  };
  BenchNetwork() : BenchNetwork(Options{}) {}
  explicit BenchNetwork(const Options& options);

  std::shared_ptr<const model::Genesis> genesis() const { return net_->genesis(); }
  int64_t now_ms() const { return net_->now_ms(); }
  // The options admission (rpc/ SubmitEvents) passes to EventValidator::Validate.
  model::ValidateOptions AdmissionOptions() const;

  // Step `step` (0-based) of a `journey_events`-long journey of `shipment`: booked (naming the
  // other three organisations), pickup, export customs declared and cleared, the exporter's
  // handover to the forwarder (co-signed by the forwarder), loaded, departed, journey_events - 12
  // sensor readings, arrived, import customs held and released, out for delivery, delivered.
  // Every contract rules version accepts the sequence. Built from `event submit` flags
  // (cli::EventFromFlags: location, references, details), plus two document hashes, then
  // cli::FillEvent (chain id, organisations, time, random nonce): about 600 bytes serialized.
  // REQUIRES: journey_events >= kJourneyEvents and 0 <= step < journey_events.
  v1::Event JourneyEvent(const std::string& shipment, int step, int journey_events) const;
  // An unsigned event of `type` for `shipment` by `org`, occurring now, with a random nonce
  // (testing::TestNetwork::NewEvent): for events JourneyEvent does not make.
  v1::Event NewEvent(const std::string& org, v1::EventType type,
                     const std::string& shipment) const {
    return net_->NewEvent(org, type, shipment);
  }
  // Signs an event of JourneyEvent as the CLI does (cli::SignEvent): by its signer
  // organisation's client, co-signed by the client of each of its cosigner_orgs.
  v1::SignedEvent Sign(const v1::Event& event) const;

  // The AdmittedEvent that admission produced for an envelope signed by this network, built
  // WITHOUT verifying it again (EventValidator::Parse): for benchmark set-up only.
  model::EventPtr Admitted(const v1::SignedEvent& signed_event) const;

  // The next block on top of `head` holding `events`, as PBFT orders it: proposal (events root,
  // block time = max(now, head's + 1 ms)), commit certificate of COMMIT votes signed by replicas
  // 0..2, previous and own block hash.
  v1::Block NextBlock(const storage::ChainHead& head,
                      const std::vector<model::EventPtr>& events) const;

 private:
  const config::Identity& Client(const std::string& org) const { return net_->org(org).client; }

  std::unique_ptr<testing::TestNetwork> net_;
  model::EventValidator validator_;  // Parse only
};

// An endless stream of signed events as a busy network sees them: `in_flight` shipments travel at
// once, each advancing one step of its 12-event journey per turn, and a delivered one is replaced
// by a new shipment; when long_shipments > 0, every long_every-th event instead advances one of
// that many 100-event journeys (round robin), so their events spread over the whole stream.
// Shipment ids are "<prefix>-<n>" and LongShipment(j).
class JourneyStream {
 public:
  struct Options {
    std::string prefix = "SHP";
    int in_flight = kBlockEvents;  // Default: 500 shipments under way
    int long_shipments = 0;        // Default: none
    uint64_t long_every = 0;       // REQUIRES: > 0 when long_shipments > 0
  };
  JourneyStream(const BenchNetwork& net, Options options);

  v1::SignedEvent Next();
  std::vector<v1::SignedEvent> Next(size_t count);
  std::string LongShipment(int j) const;

 private:
  struct Journey {
    uint64_t shipment = 0;
    int step = 0;
  };
  const BenchNetwork& net_;
  Options options_;
  std::vector<Journey> in_flight_;
  size_t turn_ = 0;  // next in_flight_ slot
  uint64_t next_shipment_ = 0;
  uint64_t emitted_ = 0;
  uint64_t long_emitted_ = 0;
};

// A block ready for Store::CommitBlock, as contracts::CommitBlock has it before the write.
struct ExecutedBlock {
  v1::Block block;
  std::vector<model::EventPtr> events;
  contracts::Executed executed;  // effects and results digest
};

// Orders `signed_events` into the next block on top of `store`'s head (BenchNetwork::NextBlock)
// and executes it against the store's committed state under the genesis' rules and limits
// (contracts::Execute with contracts::ContextOf, the steps of contracts::CommitBlock before its
// write), so that a benchmark can time the write alone. Stops (SHIPLEDGER_CHECK) unless every
// receipt is VALID: the benchmarks measure the path of well-formed events.
ExecutedBlock ExecuteNextBlock(const BenchNetwork& net, const storage::Store& store,
                               const std::vector<v1::SignedEvent>& signed_events);
// Store::CommitBlock of an executed block; stops (SHIPLEDGER_CHECK) if the store refuses it.
void Commit(storage::Store& store, const ExecutedBlock& block);
// Orders, executes and stores the next block as a node's commit thread does
// (contracts::CommitBlock); stops unless the store takes it and every receipt is VALID.
void CommitNextBlock(const BenchNetwork& net, storage::Store& store,
                     const std::vector<v1::SignedEvent>& signed_events);

}  // namespace shipledger::bench
