// Internals of the validation gate (message_gate.h): the per-message checks and the bounded set
// of verified event envelopes. Not part of the consensus module's interface.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "crypto/ecdsa.h"
#include "model/block.h"
#include "model/digest.h"
#include "model/event.h"
#include "model/genesis.h"
#include "model/parallel.h"
#include "model/validation.h"
#include "shipledger/status.h"
#include "shipledger/v1/peer.pb.h"

namespace shipledger::consensus::gate {

// Most blocks a Blocks answer may carry, and a FetchBlocks may ask for.
inline constexpr uint32_t kMaxBlocksPerMessage = 64;

// A bounded map keyed by event leaf hashes (model::EventLeafHash, over the whole envelope): the
// oldest entry is evicted first.
// Thread-safety: thread-safe (internally locked; callers do no work under the lock).
template <class Value>
class LeafHashRing {
 public:
  // REQUIRES: capacity >= 1.
  explicit LeafHashRing(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {
    map_.reserve(capacity_);
  }
  // A copy of the value under `leaf_hash`, if any. Keys that are not 32 bytes are never held.
  std::optional<Value> Find(ByteView leaf_hash) const {
    const auto key = ToKey(leaf_hash);
    if (!key) return std::nullopt;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(*key);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }
  // Inserts or replaces; a new key may evict the oldest.
  void Put(ByteView leaf_hash, Value value) {
    const auto key = ToKey(leaf_hash);
    if (!key) return;
    std::lock_guard<std::mutex> lock(mu_);
    auto [it, inserted] = map_.try_emplace(*key, std::move(value));
    if (!inserted) {
      it->second = std::move(value);
      return;
    }
    if (ring_.size() < capacity_) {
      ring_.push_back(*key);
      return;
    }
    map_.erase(ring_[next_]);
    ring_[next_] = *key;
    next_ = (next_ + 1) % capacity_;
  }
  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return map_.size();
  }

 private:
  using Key = std::array<char, model::kDigestSize>;
  struct KeyHash {
    // The key is a SHA-256 output: any 8 of its bytes are already uniformly distributed.
    size_t operator()(const Key& k) const {
      size_t h = 0;
      std::memcpy(&h, k.data(), sizeof h);
      return h;
    }
  };
  static std::optional<Key> ToKey(ByteView leaf_hash) {
    if (leaf_hash.size() != model::kDigestSize) return std::nullopt;
    Key k;
    std::memcpy(k.data(), leaf_hash.data(), k.size());
    return k;
  }

  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<Key, Value, KeyHash> map_;  // GUARDED_BY(mu_)
  std::vector<Key> ring_;                        // GUARDED_BY(mu_): insertion order
  size_t next_ = 0;                              // GUARDED_BY(mu_): ring slot to overwrite next
};

// Leaf hashes of event envelopes this node has fully verified, so that copies of them are not
// verified again (DESIGN §10).
class VerifiedSet {
 public:
  explicit VerifiedSet(size_t capacity) : ring_(capacity) {}
  bool Contains(ByteView leaf_hash) const { return ring_.Find(leaf_hash).has_value(); }
  void Add(ByteView leaf_hash) { ring_.Put(leaf_hash, true); }
  size_t size() const { return ring_.size(); }

 private:
  LeafHashRing<bool> ring_;
};

// The parsed events of recently verified envelopes, held weakly: while the node still holds an
// event (a forward's events wait in the mempool for the PRE-PREPARE that carries them), a copy
// of its envelope reuses that immutable object instead of being parsed, hashed and allocated
// again. Weak, so an entry never keeps an event alive; an expired entry still holds the
// event's single allocation (object and control block, ~0.5 KB, not its strings) until it is
// evicted, hence a small ring.
class RecentEvents {
 public:
  explicit RecentEvents(size_t capacity) : ring_(capacity) {}
  // The held event with this leaf hash, or nullptr.
  model::EventPtr Find(ByteView leaf_hash) const {
    auto weak = ring_.Find(leaf_hash);
    return weak ? weak->lock() : nullptr;
  }
  void Add(const model::EventPtr& event) {
    if (event != nullptr) ring_.Put(event->leaf_hash, event);
  }

 private:
  LeafHashRing<std::weak_ptr<const model::AdmittedEvent>> ring_;
};

// The stateless checks of every peer message kind. Every function returns OK or a Status
// (INVALID_ARGUMENT unless an event's own check says PERMISSION_DENIED) whose message says what
// is wrong and, where one is involved, which replica.
// Thread-safety: thread-safe; the replica keys are immutable, the verified set is locked.
class Checker {
 public:
  // `committed` (may be empty): whether an event id is committed on this node; thread-safe.
  Checker(std::shared_ptr<const model::Genesis> genesis, const model::EventValidator* validator,
          size_t verified_capacity, size_t recent_capacity, model::ParallelRunner* runner,
          size_t held_capacity = 1, std::function<bool(ByteView)> committed = nullptr);

  const model::Genesis& genesis() const { return *genesis_; }
  // Remembers events validated elsewhere (admission): their envelopes are not verified again.
  void NoteVerified(const model::EventPtr& event) const;
  // Remembers the id of an event the core holds (MessageGate::NoteHeld).
  void NoteHeld(ByteView event_id) const { held_.Put(event_id, true); }

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
  // Forwarded events, judged by the admission rules at `now_ms`. Events whose id is held or
  // committed here are left out of *events before any check of their signatures.
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
  mutable RecentEvents recent_;
  mutable LeafHashRing<bool> held_;  // ids of events the core holds (NoteHeld)
  std::function<bool(ByteView)> committed_;
};

}  // namespace shipledger::consensus::gate
