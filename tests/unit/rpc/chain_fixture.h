// A store on a temporary directory, fed blocks executed by the real contracts as the node's
// commit thread does (the rpc unit tests read what it holds).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <vector>

#include "contracts/executor.h"
#include "model/block.h"
#include "model/validation.h"
#include "storage/store.h"
#include "testing/test_network.h"

namespace shipledger::rpc {

namespace fs = std::filesystem;

class ChainFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = testing::TestNetwork::Create();
    dir_ = fs::temp_directory_path() / ("shipledger-tl-" + std::to_string(std::random_device()()));
    store_ = std::move(storage::Store::Open(dir_.string(), *net_->genesis())).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  model::EventPtr Admit(const v1::SignedEvent& se) {
    model::EventValidator v(net_->genesis());
    model::ValidateOptions o;
    o.cert_time_ms = net_->now_ms();
    return *v.Validate(se, o);
  }
  // Executes and stores the next block, as the node's commit thread does.
  void Commit(const std::vector<model::EventPtr>& events) {
    const storage::ChainHead head = store_->head();
    v1::Block block;
    v1::Proposal* p = block.mutable_proposal();
    p->set_chain_id(net_->genesis()->chain_id);
    p->set_height(head.height + 1);
    p->set_events_root(model::EventsRoot(events));
    p->set_timestamp_ms(net_->now_ms() + static_cast<int64_t>(head.height) + 1);
    p->set_event_count(static_cast<uint32_t>(events.size()));
    block.set_prev_block_hash(head.block_hash);
    block.set_block_hash(model::BlockHash(model::ProposalDigest(*p), head.block_hash));
    const auto effects = contracts::ExecuteBlock(events, *store_, {p->height(), p->timestamp_ms()});
    ASSERT_TRUE(store_
                    ->CommitBlock(block, events, effects,
                                  model::ResultsDigest(head.results, effects.receipts_root,
                                                       effects.state_writes_digest))
                    .ok());
  }

  std::unique_ptr<testing::TestNetwork> net_;
  fs::path dir_;
  std::unique_ptr<storage::Store> store_;
};

}  // namespace shipledger::rpc
