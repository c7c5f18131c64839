// The validation gate in front of the PBFT core (DESIGN §6): every frame a peer sends is parsed
// and checked here, statelessly, before the core sees it — bounds, structure, every signature
// under the pinned replica keys, that the sender (authenticated by the transport) is the
// replica the message claims, commit and checkpoint certificates, and the events of
// pre-prepares and forwards through the EventValidator. A rejected message gets a Status that
// says what is wrong; the caller counts it against the peer and drops it. Events are verified
// once per node: a bounded set remembers the leaf hashes of envelopes already verified, and a
// forwarded event whose id is already committed or held by the core is dropped before any
// signature is verified (DESIGN §6 "fairness under floods").
// Thread-safety: every method is thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "consensus/replica.h"
#include "model/genesis.h"
#include "model/parallel.h"
#include "model/validation.h"
#include "shipledger/status.h"

namespace shipledger::consensus {

class MessageGate {
 public:
  // True when the event with this id is committed on this node (e.g. a store lookup). Called
  // from the gate's callers' threads, so it must be thread-safe.
  using CommittedLookup = std::function<bool(ByteView event_id)>;

  // `runner` checks the signatures of a message's events side by side (DESIGN §10); nullptr:
  // on the calling thread. It must outlive the gate. `committed`: nullptr means none is known
  // committed (only NoteHeld ids are then dropped from forwards).
  MessageGate(std::shared_ptr<const model::Genesis> genesis, const model::EventValidator* validator,
              uint32_t self_replica_id, model::ParallelRunner* runner = nullptr,
              CommittedLookup committed = nullptr);
  ~MessageGate();

  // Parses one frame received from replica `from` and checks it (Check). `now_ms` is the
  // node's clock, for forwarded events' admission window. INVALID_ARGUMENT for a frame that
  // does not parse, an empty message, a sender that is not another replica of the genesis, and
  // any broken rule (message says which); an event's own check may say PERMISSION_DENIED.
  Result<InboundMessage> Admit(uint32_t from, std::string_view frame, int64_t now_ms) const;
  Result<InboundMessage> Check(uint32_t from, v1::PeerMessage message, int64_t now_ms) const;

  // Remembers events this node admitted itself, so that copies are not verified again (only
  // parsed, with their certificate window and clock rules still checked).
  // REQUIRES: every event passed EventValidator::Validate (the gate trusts them blindly).
  void NoteVerified(const std::vector<model::EventPtr>& events) const;
  // Remembers ids of events the core holds (pending, in flight or committed): forwarded copies
  // of them are left out of the admitted message, unverified. Only ids the core really took
  // belong here: a forward of an event the core refused (e.g. its origin's quota was full) must
  // still reach it later. The memory is bounded; a forgotten id only costs a verification.
  void NoteHeld(const std::vector<Bytes>& event_ids) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace shipledger::consensus
