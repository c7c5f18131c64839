// The simulated world of one run (TigerBeetle VOPR style): a virtual clock in ms, one event
// queue ordered by (time, sequence), the network model, the nodes, their clients, the fault
// timeline of a Plan and the checkers. Everything random is drawn from generators seeded with
// the run's seed; nothing reads the wall clock or depends on pointer or hash order, so a seed
// replays the same run.
//
// Slots: node instances 0..n-1 run replicas 0..n-1; with twins, slot n runs the twin replica
// too. A frame for a replica with twins reaches one twin (by the sender's parity) when the plan
// splits them, else both.
//
// Clients: each slot's client (its organisation's admin) generates signed events at random
// times and submits them to its node; every second it resubmits its events that its node has
// not stored after 3 s (as a real client retries), so a crash or a lost forward is repaired.
//
// Thread-safety: none.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "sim/checkers.h"
#include "sim/network.h"
#include "sim/profiles.h"
#include "sim/sim_node.h"
#include "testing/test_network.h"

namespace shipledger::sim {

struct RunStats {
  int64_t sim_ms = 0;      // simulated time the run took
  uint64_t events = 0;     // queue events processed
  uint64_t messages = 0;   // frames sent
  uint64_t delivered = 0;  // frames delivered to a live node
  uint64_t gate_rejections = 0;
  uint64_t height = 0;                // highest height stored by a correct node
  uint64_t max_view = 0;              // highest view a correct node reached
  uint64_t duplicates = 0;            // events stored twice by one node
  uint64_t correct_frames = 0;        // frames sent by correct nodes
  uint64_t new_views_sent = 0;        // NEW-VIEW frames sent by correct nodes
  uint64_t inbox_dropped = 0;         // messages correct nodes' inboxes dropped (queue full)
  uint64_t mixed_view_new_views = 0;  // NEW-VIEWs admitted whose certificates go back in time
  // In the stored contract state of the correct node highest up: shipments booked, and events
  // recorded VALID on them after their booking (the real contracts execute every block).
  uint64_t shipments = 0;
  uint64_t recorded_after_booking = 0;
  Latency latency;
  std::string ToString() const;
};

struct RunResult {
  uint64_t seed = 0;
  Plan plan;
  std::vector<Failure> failures;
  RunStats stats;
  std::optional<RunStats> baseline;  // flood plans: the same plan without the attack
  bool ok() const { return failures.empty(); }
  // "seed S profile P: checker at T ms: detail" lines, or "seed S profile P: ok".
  std::string Summary() const;
};

class World final : public NodeHost {
 public:
  // Builds the network (genesis, keys), the nodes and the timeline. REQUIRES: a
  // ScopedDeterministicRandom is alive (keys and signatures are drawn from OpenSSL).
  World(uint64_t seed, Plan plan, bool verbose);
  ~World() override;

  // Runs until every correct event is stored everywhere after the heal (ok), a safety checker
  // fails, or the liveness bound passes.
  RunResult Run();

  // NodeHost.
  int64_t now() const override { return now_; }
  void At(int64_t at_ms, std::function<void()> fn) override;
  void Send(uint32_t from_slot, uint32_t to, std::shared_ptr<const std::string> frame,
            uint64_t copies) override;
  Rng& rng() override { return node_rng_; }
  Checkers& checkers() override { return *checkers_; }
  int64_t elapsed() const override { return now_ - start_; }
  bool verbose() const override { return verbose_; }
  void Trace(const std::string& line) override;

 private:
  struct Item {
    int64_t at;
    uint64_t seq;
    std::function<void()> fn;
  };
  struct Later {
    bool operator()(const Item& a, const Item& b) const {
      return a.at != b.at ? a.at > b.at : a.seq > b.seq;
    }
  };
  struct ClientEvent {
    v1::SignedEvent event;
    Bytes id;
    int64_t generated_ms;
  };

  void ApplyStep(const FaultStep& step);
  void Heal();
  void GenerateEvent(uint32_t slot, uint32_t k);
  void RetryClients();
  void Probe();
  void Deliver(uint32_t from_slot, uint32_t to_slot, uint64_t incarnation,
               const std::shared_ptr<const std::string>& frame, uint64_t copies);

  uint64_t seed_;
  Plan plan_;
  bool verbose_;
  Rng net_rng_;     // network fates
  Rng node_rng_;    // disk delays, Byzantine choices
  Rng client_rng_;  // event timing and contents
  std::unique_ptr<testing::TestNetwork> network_;
  std::shared_ptr<model::Genesis> genesis_;
  std::unique_ptr<Checkers> checkers_;
  NetworkModel model_;
  std::vector<std::unique_ptr<SimNode>> nodes_;    // by slot
  std::vector<std::vector<uint32_t>> slots_of_;    // replica -> its slots
  std::vector<std::vector<ClientEvent>> clients_;  // slot -> events its client generated
  std::vector<std::unique_ptr<consensus::Signer>> byzantine_signers_;
  std::priority_queue<Item, std::vector<Item>, Later> queue_;
  uint64_t seq_ = 0;
  int64_t start_ = 0;
  int64_t now_ = 0;
  bool done_ = false;
  RunStats stats_;
};

}  // namespace shipledger::sim
