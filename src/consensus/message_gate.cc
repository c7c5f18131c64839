#include "consensus/message_gate.h"

#include <climits>
#include <string>

#include "consensus/gate_checks.h"

namespace shipledger::consensus {

namespace {

// Envelopes remembered as verified. 2^18 leaf hashes take about 25 MB and cover minutes of
// traffic at thousands of events per second — far longer than an event takes from admission
// (or a forward) to the pre-prepare that carries it.
constexpr size_t kVerifiedCapacity = size_t{1} << 18;
// Parsed events shared between copies of an envelope (gate_checks.h: RecentEvents). 2^15 weak
// entries cover seconds of traffic — a forward to the PRE-PREPARE that carries its events —
// and pin at most their control blocks (the event object's storage: ~0.5 KB each, ~16 MB).
constexpr size_t kRecentCapacity = size_t{1} << 15;
// Ids of events the core holds (NoteHeld). As many as the verified set: more than a mempool
// holds, with the recently committed ones the store also answers for.
constexpr size_t kHeldCapacity = size_t{1} << 18;

std::string S(uint64_t v) { return std::to_string(v); }

}  // namespace

struct MessageGate::Impl {
  Impl(std::shared_ptr<const model::Genesis> genesis, const model::EventValidator* validator,
       uint32_t self, model::ParallelRunner* runner, CommittedLookup committed)
      : self_replica_id(self),
        checker(std::move(genesis), validator, kVerifiedCapacity, kRecentCapacity,
                runner != nullptr ? runner : &model::InlineRunner(), kHeldCapacity,
                std::move(committed)) {}

  const uint32_t self_replica_id;
  gate::Checker checker;
};

MessageGate::MessageGate(std::shared_ptr<const model::Genesis> genesis,
                         const model::EventValidator* validator, uint32_t self_replica_id,
                         model::ParallelRunner* runner, CommittedLookup committed)
    : impl_(std::make_unique<Impl>(std::move(genesis), validator, self_replica_id, runner,
                                   std::move(committed))) {}

MessageGate::~MessageGate() = default;

Result<InboundMessage> MessageGate::Admit(uint32_t from, std::string_view frame,
                                          int64_t now_ms) const {
  v1::PeerMessage message;
  if (frame.size() > static_cast<size_t>(INT_MAX) ||
      !message.ParseFromArray(frame.data(), static_cast<int>(frame.size()))) {
    return Status::InvalidArgument("frame of " + S(frame.size()) + " bytes from replica " +
                                   S(from) + " is not a peer message");
  }
  return Check(from, std::move(message), now_ms);
}

Result<InboundMessage> MessageGate::Check(uint32_t from, v1::PeerMessage message,
                                          int64_t now_ms) const {
  const gate::Checker& checker = impl_->checker;
  const uint32_t n = checker.genesis().n();
  if (from >= n) {
    return Status::InvalidArgument("message from replica " + S(from) + ", but n = " + S(n));
  }
  if (from == impl_->self_replica_id) {
    return Status::InvalidArgument("message from replica " + S(from) + ", which is this replica");
  }
  InboundMessage out;
  out.from = from;
  Status s;
  switch (message.body_case()) {
    case v1::PeerMessage::kPrePrepare:
      out.events.resize(1);
      s = checker.CheckPrePrepare(from, message.pre_prepare(), &out.events[0]);
      break;
    case v1::PeerMessage::kPrepare:
      s = checker.CheckVote(from, message.prepare(), model::VoteType::kPrepare);
      break;
    case v1::PeerMessage::kCommit:
      s = checker.CheckVote(from, message.commit(), model::VoteType::kCommit);
      break;
    case v1::PeerMessage::kCheckpoint:
      s = checker.CheckCheckpoint(from, message.checkpoint());
      break;
    case v1::PeerMessage::kViewChange:
      if (message.view_change().replica() != from) {
        s = Status::InvalidArgument("view-change from replica " + S(from) + " claims replica " +
                                    S(message.view_change().replica()));
      } else {
        s = checker.CheckViewChange(message.view_change());
      }
      break;
    case v1::PeerMessage::kNewView:
      s = checker.CheckNewView(from, message.new_view(), &out.events);
      break;
    case v1::PeerMessage::kForward:
      out.events.resize(1);
      s = checker.CheckForward(message.forward(), now_ms, &out.events[0]);
      break;
    case v1::PeerMessage::kFetchBlocks:
      s = checker.CheckFetchBlocks(message.fetch_blocks());
      break;
    case v1::PeerMessage::kBlocks:
      s = checker.CheckBlocks(message.blocks(), &out.events);
      break;
    case v1::PeerMessage::kHeartbeat:
      break;
    case v1::PeerMessage::BODY_NOT_SET:
      s = Status::InvalidArgument("empty peer message from replica " + S(from));
      break;
  }
  if (!s.ok()) return s;
  out.message = std::move(message);
  return out;
}

void MessageGate::NoteVerified(const std::vector<model::EventPtr>& events) const {
  for (const auto& event : events) {
    impl_->checker.NoteVerified(event);
  }
}

void MessageGate::NoteHeld(const std::vector<Bytes>& event_ids) const {
  for (const Bytes& id : event_ids) impl_->checker.NoteHeld(id);
}

}  // namespace shipledger::consensus
