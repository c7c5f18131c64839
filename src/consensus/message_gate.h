// The validation gate in front of the PBFT core (DESIGN §6): every frame a peer sends is parsed
// and checked here, statelessly, before the core sees it — bounds, structure, every signature
// under the pinned replica keys, that the sender (authenticated by the transport) is the
// replica the message claims, commit and checkpoint certificates, and the events of
// pre-prepares and forwards through the EventValidator. A rejected message gets a Status that
// says what is wrong; the caller counts it against the peer and drops it. Events are verified
// once per node: a bounded set remembers the leaf hashes of envelopes already verified.
// Thread-safety: Admit/Check are thread-safe.
#pragma once

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
  // `runner` checks the signatures of a message's events side by side (DESIGN §10); nullptr:
  // on the calling thread. It must outlive the gate.
  MessageGate(std::shared_ptr<const model::Genesis> genesis, const model::EventValidator* validator,
              uint32_t self_replica_id, model::ParallelRunner* runner = nullptr);
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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace shipledger::consensus
