// Internals of the validation gate (message_gate.h): the per-message checks and the bounded set
// of verified event envelopes. Not part of the consensus module's interface.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_set>
#include <vector>

#include "crypto/ecdsa.h"
#include "model/block.h"
#include "model/event.h"
#include "model/genesis.h"
#include "model/parallel.h"
#include "model/validation.h"
#include "shipledger/status.h"
#include "shipledger/v1/peer.pb.h"

namespace shipledger::consensus::gate {

// Most blocks a Blocks answer may carry, and a FetchBlocks may ask for.
inline constexpr uint32_t kMaxBlocksPerMessage = 64;

// Leaf hashes (model::EventLeafHash, over the whole envelope) of event envelopes this node has
// fully verified, so that copies of them are not verified again (DESIGN §10). Bounded: the
// oldest entry is evicted first.
// Thread-safety: thread-safe (internally locked; no verification happens under the lock).
class VerifiedSet {
 public:
  // REQUIRES: capacity >= 1.
  explicit VerifiedSet(size_t capacity);
  // REQUIRES: leaf_hash.size() == 32 (other sizes are ignored by Add and never contained).
  bool Contains(ByteView leaf_hash) const;
  void Add(ByteView leaf_hash);
  size_t size() const;

 private:
  using Key = std::array<char, 32>;
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };
  static std::optional<Key> ToKey(ByteView leaf_hash);

  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_set<Key, KeyHash> set_;  // GUARDED_BY(mu_)
  std::vector<Key> ring_;                 // GUARDED_BY(mu_): insertion order, for eviction
  size_t next_ = 0;                       // GUARDED_BY(mu_): ring slot to overwrite next
};

// The stateless checks of every peer message kind. Every function returns OK or a Status
// (INVALID_ARGUMENT unless an event's own check says PERMISSION_DENIED) whose message says what
// is wrong and, where one is involved, which replica.
// Thread-safety: thread-safe; the replica keys are immutable, the verified set is locked.
class Checker {
 public:
  Checker(std::shared_ptr<const model::Genesis> genesis, const model::EventValidator* validator,
          size_t verified_capacity, model::ParallelRunner* runner);

  const model::Genesis& genesis() const { return *genesis_; }
  VerifiedSet& verified() const { return verified_; }

  // PREPARE (kPrepare) or COMMIT (kCommit) sent by `from`.
  Status CheckVote(uint32_t from, const v1::Vote& vote, model::VoteType type) const;
  // A PRE-PREPARE sent by `from`; its parsed events go to *events.
  // `allow_stripped`: inside a NEW-VIEW, a re-proposal may come without its events (a height
  // the new primary has already ordered; backups that lack it fetch the certified block).
  Status CheckPrePrepare(uint32_t from, const v1::PrePrepare& pre_prepare,
                         std::vector<model::EventPtr>* events, bool allow_stripped = false) const;
  Status CheckCheckpoint(uint32_t from, const v1::Checkpoint& checkpoint) const;
  // A VIEW-CHANGE signed by its own `replica` field (the caller compares it with the sender).
  Status CheckViewChange(const v1::ViewChange& view_change) const;
  // A NEW-VIEW sent by `from`; one event list per pre-prepare goes to *events.
  Status CheckNewView(uint32_t from, const v1::NewView& new_view,
                      std::vector<std::vector<model::EventPtr>>* events) const;
  // Forwarded events, judged by the admission rules at `now_ms`.
  Status CheckForward(const v1::ForwardEvents& forward, int64_t now_ms,
                      std::vector<model::EventPtr>* events) const;
  Status CheckFetchBlocks(const v1::FetchBlocks& fetch) const;
  // Certified blocks; their events are parsed, not verified. One list per block.
  Status CheckBlocks(const v1::Blocks& blocks,
                     std::vector<std::vector<model::EventPtr>>* events) const;

 private:
  uint32_t primary(uint64_t view) const { return static_cast<uint32_t>(view % genesis_->n()); }
  // Most prepared certificates in one VIEW-CHANGE and pre-prepares in one NEW-VIEW.
  uint32_t MaxInFlight() const;
  // OK when `signature` is `replica`'s over `message` (pinned key, parsed once).
  Status VerifyReplica(uint32_t replica, ByteView message, ByteView signature,
                       std::string_view what) const;
  // chain id, height >= 1, proposer < n.
  Status CheckProposal(const v1::Proposal& proposal, std::string_view what) const;
  // The events of a proposal (pre-prepare or prepared certificate): count and bound, Merkle
  // root, distinct ids, each event valid at the proposal's timestamp (no clock check).
  Status CheckProposalEvents(const v1::Proposal& proposal,
                             const google::protobuf::RepeatedPtrField<v1::SignedEvent>& events,
                             std::vector<model::EventPtr>* out) const;
  Status CheckPrepared(const v1::PreparedCertificate& prepared, uint64_t new_view,
                       uint64_t stable_height) const;
  Status CheckBlock(const v1::Block& block, std::vector<model::EventPtr>* events) const;
  // Validate through the verified set: a known envelope is parsed and only its time rules
  // checked; an unknown one is fully validated and then remembered.
  Result<model::EventPtr> ValidateEvent(const v1::SignedEvent& signed_event, const Bytes& leaf_hash,
                                        const model::ValidateOptions& options) const;

  std::shared_ptr<const model::Genesis> genesis_;
  const model::EventValidator* validator_;
  model::ParallelRunner* runner_;
  std::vector<std::optional<crypto::PublicKey>> keys_;  // by replica id; immutable
  mutable VerifiedSet verified_;
};

}  // namespace shipledger::consensus::gate
