// A store on a temporary directory, fed blocks the way the node's commit thread feeds it
// (contracts::CommitBlock: the real contracts under the genesis' rules): the rpc unit tests read
// what it holds. Blocks carry a commit certificate of replicas 0..2f, and Checkpoint stores a
// checkpoint certificate, so proofs built from the store verify.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <utility>
#include <vector>

#include "contracts/commit.h"
#include "model/block.h"
#include "model/validation.h"
#include "model/votes.h"
#include "storage/store.h"
#include "testing/temp_dir.h"
#include "testing/test_network.h"

namespace shipledger::rpc {

class ChainFixture : public ::testing::Test {
 protected:
  // A network of `replicas` replicas (the default organisations) whose blocks follow each other
  // by `block_step_ms`, the first that long after the network's "now".
  explicit ChainFixture(int replicas = 1, int64_t block_step_ms = 1)
      : replicas_(replicas), block_step_ms_(block_step_ms) {}

  void SetUp() override {
    net_ = testing::TestNetwork::Create(testing::TestNetwork::DefaultOrgs(), replicas_);
    store_ = std::move(storage::Store::Open(dir_.path(), *net_->genesis())).value();
  }
  void TearDown() override { store_.reset(); }

  model::EventPtr Admit(const v1::SignedEvent& se) {
    model::EventValidator v(net_->genesis());
    model::ValidateOptions o;
    o.cert_time_ms = net_->now_ms();
    return *v.Validate(se, o);
  }
  // Signs `message` by replicas 0..2f into `certificate`'s votes.
  template <typename Certificate>
  void SignQuorum(ByteView message, Certificate* certificate) const {
    for (uint32_t r = 0; r < net_->genesis()->quorum(); ++r) {
      auto* vote = certificate->add_votes();
      vote->set_replica(r);
      vote->set_signature(net_->node(r).key.Sign(message).value());
    }
  }
  // Orders, executes and stores the next block holding `events`; returns the block (without
  // its events) and what execution produced (a failed test's result is empty).
  std::pair<v1::Block, contracts::Executed> Commit(const std::vector<model::EventPtr>& events) {
    const storage::ChainHead head = store_->head();
    v1::Block block;
    v1::Proposal* p = block.mutable_proposal();
    p->set_chain_id(net_->genesis()->chain_id);
    p->set_height(head.height + 1);
    p->set_events_root(model::EventsRoot(events));
    p->set_timestamp_ms(net_->now_ms() + static_cast<int64_t>(head.height + 1) * block_step_ms_);
    p->set_event_count(static_cast<uint32_t>(events.size()));
    const Bytes digest = model::ProposalDigest(*p);
    SignQuorum(model::VoteMessage(p->chain_id(), model::VoteType::kCommit, 0, p->height(), digest),
               block.mutable_certificate());
    block.set_prev_block_hash(head.block_hash);
    block.set_block_hash(model::BlockHash(digest, head.block_hash));
    auto committed = contracts::CommitBlock(*net_->genesis(), block, events, *store_);
    EXPECT_TRUE(committed.ok()) << committed.status().ToString();
    if (!committed.ok()) return {};
    return {std::move(block), std::move(committed).value()};
  }
  // Stores a stable checkpoint certificate at `height` (of the stored chain, or made up above
  // the head).
  void Checkpoint(uint64_t height) {
    v1::CheckpointCertificate cert;
    cert.set_height(height);
    if (height <= store_->head().height) {
      cert.set_block_hash(store_->GetBlockHeader(height)->block_hash());
      cert.set_results(store_->GetResults(height)->results);
    } else {
      cert.set_block_hash(Bytes(32, 'b'));
      cert.set_results(Bytes(32, 'r'));
    }
    SignQuorum(model::CheckpointMessage(net_->genesis()->chain_id, height, cert.block_hash(),
                                        cert.results()),
               &cert);
    ASSERT_TRUE(store_->PutCheckpoint(cert).ok());
  }

  const int replicas_;
  const int64_t block_step_ms_;
  std::unique_ptr<testing::TestNetwork> net_;
  testing::TempDir dir_{"shipledger-chain"};  // outlives store_
  std::unique_ptr<storage::Store> store_;
};

}  // namespace shipledger::rpc
