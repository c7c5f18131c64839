// The helpers Byzantine behaviours share (byzantine.cc, flood.cc): signing as the node and
// random bytes from the run's generator.
// Thread-safety: none.
#pragma once

#include <cstddef>

#include "model/block.h"
#include "model/votes.h"
#include "sim/byzantine.h"

namespace shipledger::sim {

class ByzantineBase : public Byzantine {
 public:
  explicit ByzantineBase(const ByzantineContext& c) : c_(c) {}

 protected:
  Bytes Sign(ByteView message) const {
    auto s = c_.signer->Sign(message);
    return s.ok() ? *s : Bytes();
  }
  Bytes RandomBytes(size_t n) const {
    Bytes out(n, '\0');
    for (auto& ch : out) ch = static_cast<char>((*c_.rng)() >> 56);
    return out;
  }
  // Re-signs a PRE-PREPARE over its (possibly edited) proposal.
  void SignPrePrepare(v1::PrePrepare* pp) const {
    pp->set_signature(
        Sign(model::VoteMessage(c_.genesis->chain_id, model::VoteType::kPrePrepare, pp->view(),
                                pp->proposal().height(), model::ProposalDigest(pp->proposal()))));
  }
  // A vote of `type` like `v` for another digest, validly signed.
  v1::Vote ConflictingVote(model::VoteType type, const v1::Vote& v) const {
    v1::Vote out = v;
    out.set_digest(RandomBytes(32));
    out.set_signature(
        Sign(model::VoteMessage(c_.genesis->chain_id, type, v.view(), v.height(), out.digest())));
    return out;
  }

  ByzantineContext c_;
};

}  // namespace shipledger::sim
