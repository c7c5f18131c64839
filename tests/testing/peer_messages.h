// Builders of correctly signed consensus messages (DESIGN §5-§6) for a network whose replica keys
// the caller holds: proposals, votes, pre-prepares, certificates, view changes and certified
// blocks. The MessageGate tests build messages here and then break them; the fuzz seed writer
// builds its seeds here. Header-only and without GoogleTest, so the fuzz build (which builds no
// tests) includes it too.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/merkle.h"
#include "model/block.h"
#include "model/event.h"
#include "model/votes.h"
#include "shipledger/bytes.h"
#include "shipledger/v1/ledger.pb.h"

namespace shipledger::testing {

class PeerMessages {
 public:
  // Signs `message` as replica `replica`.
  using Signer = std::function<Bytes(uint32_t replica, const Bytes& message)>;

  // `n`: replicas; the primary of view v is v % n.
  PeerMessages(std::string chain_id, Bytes genesis_hash, uint32_t n, Signer sign)
      : chain_(std::move(chain_id)),
        genesis_hash_(std::move(genesis_hash)),
        n_(n),
        sign_(std::move(sign)) {}

  const std::string& chain() const { return chain_; }
  Bytes SignAs(uint32_t replica, const Bytes& message) const { return sign_(replica, message); }

  v1::Proposal Proposal(uint64_t height, const std::vector<v1::SignedEvent>& events,
                        uint32_t proposer, int64_t timestamp_ms) const {
    v1::Proposal p;
    p.set_chain_id(chain_);
    p.set_height(height);
    std::vector<Bytes> leaves;
    for (const auto& e : events) leaves.push_back(model::EventLeafHash(e));
    p.set_events_root(crypto::MerkleRoot(leaves));
    p.set_proposer(proposer);
    p.set_timestamp_ms(timestamp_ms);
    p.set_event_count(static_cast<uint32_t>(events.size()));
    return p;
  }

  v1::Vote Vote(model::VoteType type, uint32_t replica, uint64_t view, uint64_t height,
                const Bytes& digest) const {
    v1::Vote v;
    v.set_view(view);
    v.set_height(height);
    v.set_digest(digest);
    v.set_replica(replica);
    v.set_signature(SignAs(replica, model::VoteMessage(chain_, type, view, height, digest)));
    return v;
  }

  // Signs `pp` as its `replica` over its current contents.
  void SignPrePrepare(v1::PrePrepare* pp) const {
    pp->set_signature(
        SignAs(pp->replica(),
               model::VoteMessage(chain_, model::VoteType::kPrePrepare, pp->view(),
                                  pp->proposal().height(), model::ProposalDigest(pp->proposal()))));
  }

  // A pre-prepare by the primary of `view` of `proposal` with `events`.
  v1::PrePrepare PrePrepare(uint64_t view, const v1::Proposal& proposal,
                            const std::vector<v1::SignedEvent>& events) const {
    v1::PrePrepare pp;
    pp.set_view(view);
    *pp.mutable_proposal() = proposal;
    for (const auto& e : events) *pp.add_events() = e;
    pp.set_replica(static_cast<uint32_t>(view % n_));
    SignPrePrepare(&pp);
    return pp;
  }

  // A checkpoint certificate at `height` of `block_hash` and `results`, signed by `replicas`;
  // height 0 is the genesis (no votes).
  v1::CheckpointCertificate Stable(uint64_t height, const Bytes& block_hash, const Bytes& results,
                                   const std::vector<uint32_t>& replicas) const {
    v1::CheckpointCertificate c;
    c.set_height(height);
    if (height == 0) {
      c.set_block_hash(genesis_hash_);
      c.set_results(Bytes(32, '\0'));
      return c;
    }
    c.set_block_hash(block_hash);
    c.set_results(results);
    const Bytes m = model::CheckpointMessage(chain_, height, c.block_hash(), c.results());
    for (uint32_t r : replicas) {
      auto* v = c.add_votes();
      v->set_replica(r);
      v->set_signature(SignAs(r, m));
    }
    return c;
  }

  // A prepared certificate of `proposal` in `view`, prepared by `voters`, events attached.
  v1::PreparedCertificate Prepared(uint64_t view, const v1::Proposal& proposal,
                                   const std::vector<v1::SignedEvent>& events,
                                   const std::vector<uint32_t>& voters) const {
    v1::PreparedCertificate pc;
    pc.set_view(view);
    *pc.mutable_proposal() = proposal;
    const Bytes digest = model::ProposalDigest(proposal);
    for (uint32_t r : voters) {
      *pc.add_prepares() = Vote(model::VoteType::kPrepare, r, view, proposal.height(), digest);
    }
    for (const auto& e : events) *pc.add_events() = e;
    return pc;
  }

  void SignViewChange(v1::ViewChange* vc) const {
    vc->set_signature(SignAs(vc->replica(), model::ViewChangeMessage(chain_, *vc)));
  }

  v1::ViewChange ViewChange(uint32_t replica, uint64_t new_view,
                            const v1::CheckpointCertificate& stable,
                            const std::vector<v1::PreparedCertificate>& prepared) const {
    v1::ViewChange vc;
    vc.set_new_view(new_view);
    *vc.mutable_stable() = stable;
    for (const auto& p : prepared) *vc.add_prepared() = p;
    vc.set_replica(replica);
    SignViewChange(&vc);
    return vc;
  }

  // A committed block at `height` after `prev_hash`, proposed by replica 0 at `timestamp_ms` and
  // certified in view 0 by `voters`.
  v1::Block Block(uint64_t height, const Bytes& prev_hash,
                  const std::vector<v1::SignedEvent>& events, int64_t timestamp_ms,
                  const std::vector<uint32_t>& voters) const {
    v1::Block b;
    *b.mutable_proposal() = Proposal(height, events, 0, timestamp_ms);
    for (const auto& e : events) *b.add_events() = e;
    const Bytes digest = model::ProposalDigest(b.proposal());
    b.mutable_certificate()->set_view(0);
    for (uint32_t r : voters) {
      auto* v = b.mutable_certificate()->add_votes();
      v->set_replica(r);
      v->set_signature(
          SignAs(r, model::VoteMessage(chain_, model::VoteType::kCommit, 0, height, digest)));
    }
    b.set_prev_block_hash(prev_hash);
    b.set_block_hash(model::BlockHash(digest, prev_hash));
    return b;
  }

 private:
  std::string chain_;
  Bytes genesis_hash_;
  uint32_t n_;
  Signer sign_;
};

}  // namespace shipledger::testing
