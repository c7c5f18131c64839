#include "test_chain.h"

#include <gtest/gtest.h>

#include "model/block.h"

namespace shipledger::cli::test {

const v1::Block& TestChain::Append(const std::vector<v1::SignedEvent>& events) {
  const uint64_t height = blocks_.size() + 1;
  const Bytes prev = blocks_.empty() ? net_.genesis()->hash : blocks_.back().block_hash();
  v1::Block block;
  for (const auto& e : events) *block.add_events() = e;
  v1::Proposal* p = block.mutable_proposal();
  p->set_chain_id(net_.genesis()->chain_id);
  p->set_height(height);
  p->set_events_root(model::EventsRoot(block.events()));
  p->set_proposer(0);
  p->set_timestamp_ms(BlockTime(height));
  p->set_event_count(static_cast<uint32_t>(events.size()));
  block.set_prev_block_hash(prev);
  Reseal(&block);
  blocks_.push_back(block);
  return blocks_.back();
}

v1::CommitCertificate TestChain::Certify(const v1::Proposal& p, const crypto::PrivateKey& key,
                                         uint32_t replica) {
  v1::CommitCertificate cert;
  cert.set_view(0);
  auto* vote = cert.add_votes();
  vote->set_replica(replica);
  auto sig = key.Sign(model::VoteMessage(p.chain_id(), model::VoteType::kCommit, 0, p.height(),
                                         model::ProposalDigest(p)));
  EXPECT_TRUE(sig.ok()) << sig.status().ToString();
  if (sig.ok()) vote->set_signature(*sig);
  return cert;
}

void TestChain::Reseal(v1::Block* block) const {
  *block->mutable_certificate() = Certify(block->proposal(), net_.node(0).key);
  block->set_block_hash(
      model::BlockHash(model::ProposalDigest(block->proposal()), block->prev_block_hash()));
}

}  // namespace shipledger::cli::test
