// A test fixture for the simulator's unit tests: a 4-replica test network, a Checkers over
// slots 0..3, and builders of signed events and of blocks certified by real COMMIT votes.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "model/block.h"
#include "sim/checkers.h"
#include "testing/test_network.h"

namespace shipledger::sim {

// Checkers over hand-built histories: a 4-replica network, blocks certified by real votes.
class SimCheckersTest : public ::testing::Test {
 public:
  // The results digest the hand-built histories say each block executed to.
  static inline const Bytes kResults = Bytes(32, 'r');

  void SetUp() override {
    net_ = testing::TestNetwork::Create(testing::TestNetwork::DefaultOrgs(), 4);
    genesis_ = net_->genesis();
    checkers_ = std::make_unique<Checkers>(genesis_, std::set<uint32_t>{0, 1, 2, 3});
  }
  v1::SignedEvent Event(const std::string& shipment, uint32_t origin, bool generated = true) {
    auto se = net_->SignedBy("exporter", v1::EVENT_TYPE_EXCEPTION, shipment);
    if (generated) checkers_->Generated(origin, model::EventId(se.event()), 0);
    return se;
  }
  // A block at `height` over `prev` with `events`, certified by the COMMITs of `voters`.
  v1::Block Block(uint64_t height, const Bytes& prev, const std::vector<v1::SignedEvent>& events,
                  const std::vector<uint32_t>& voters = {0, 1, 2}, int64_t ts = 0) {
    v1::Block b;
    for (const auto& e : events) *b.add_events() = e;
    v1::Proposal* p = b.mutable_proposal();
    p->set_chain_id(genesis_->chain_id);
    p->set_height(height);
    p->set_events_root(model::EventsRoot(b.events()));
    p->set_event_count(static_cast<uint32_t>(events.size()));
    p->set_proposer(0);
    p->set_timestamp_ms(ts != 0 ? ts : net_->now_ms() + static_cast<int64_t>(height));
    const Bytes digest = model::ProposalDigest(*p);
    b.mutable_certificate()->set_view(0);
    for (uint32_t r : voters) {
      auto* v = b.mutable_certificate()->add_votes();
      v->set_replica(r);
      v->set_signature(*net_->node(r).key.Sign(
          model::VoteMessage(genesis_->chain_id, model::VoteType::kCommit, 0, height, digest)));
    }
    b.set_prev_block_hash(prev);
    b.set_block_hash(model::BlockHash(digest, prev));
    return b;
  }
  bool Failed(const std::string& checker) const {
    for (const auto& f : checkers_->failures()) {
      if (f.checker == checker) return true;
    }
    return false;
  }

  std::unique_ptr<testing::TestNetwork> net_;
  std::shared_ptr<const model::Genesis> genesis_;
  std::unique_ptr<Checkers> checkers_;
};

}  // namespace shipledger::sim
