// Internal state of PbftReplica, shared by pbft_replica.cc (inputs, timers, status),
// pbft_normal.cc (pre-prepare / prepare / commit, proposing, ordering), pbft_view_change.cc
// and pbft_checkpoint.cc (checkpoints, state transfer, journal restore). Not a public header.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

#include "consensus/pbft_mempool.h"
#include "consensus/pbft_replica.h"
#include "model/block.h"
#include "model/validation.h"

namespace shipledger::consensus {

// A proposal this replica knows, with its events.
struct KnownProposal {
  v1::Proposal proposal;
  std::vector<model::EventPtr> events;
  bool has_events = true;  // false: a stripped re-proposal; the block must be fetched
};

// Everything about one height above the last stable checkpoint.
struct Slot {
  // The proposal accepted from the primary of `pp_view` (the current view when has_pp).
  bool has_pp = false;
  uint64_t pp_view = 0;
  Bytes pp_digest;
  int64_t accepted_ms = 0;
  bool prepared = false;  // prepared in pp_view (commit sent)
  // Proposals seen at this height, by digest (any view).
  std::map<Bytes, KnownProposal> known;
  // Votes by (view, digest) and replica.
  std::map<std::pair<uint64_t, Bytes>, std::map<uint32_t, v1::Vote>> prepares;
  std::map<std::pair<uint64_t, Bytes>, std::map<uint32_t, v1::Vote>> commits;
  // The prepared certificate of the highest view this replica assembled (for VIEW-CHANGE);
  // events may be missing after a restart (the journal keeps it stripped).
  std::optional<v1::PreparedCertificate> prepared_cert;
  // Set once 2f+1 COMMITs of one view name a proposal: ordered with this certificate.
  std::optional<v1::CommitCertificate> commit_cert;
  Bytes commit_digest;
};

enum class SentKind : uint8_t { kPrePrepare = 1, kPrepare = 2, kCommit = 3 };

struct PbftReplica::Impl {
  Impl(std::shared_ptr<const model::Genesis> genesis, const PbftOptions& options,
       const Signer* signer, const Restored& restored);

  // ---- helpers (pbft_replica.cc)
  uint32_t PrimaryOf(uint64_t v) const { return static_cast<uint32_t>(v % n); }
  bool IsPrimary() const { return !view_changing && PrimaryOf(view) == self; }
  uint64_t LogLimit() const;  // highest height a pre-prepare may have
  Bytes SignOrDie(ByteView message) const;
  void Emit(Actions* out, std::shared_ptr<v1::PeerMessage> msg);  // Broadcast
  void Journal(Actions* out, uint64_t height, v1::JournalEntry entry);
  void ArmTimer(Actions* out, int64_t now_ms);
  void Heartbeat(Actions* out, int64_t now_ms);
  void Retransmit(Actions* out, int64_t now_ms);
  void CheckTimeouts(Actions* out, int64_t now_ms);
  void OnHeartbeat(uint32_t from, const v1::Heartbeat& hb, Actions* out, int64_t now_ms);
  // Sends our NEW-VIEW of the current view again to `to`, unless one went to it less than
  // resend_interval_ms ago (then counted in peers[to].resends_suppressed). REQUIRES:
  // last_new_view set.
  void ResendNewView(uint32_t to, Actions* out, int64_t now_ms);

  // ---- normal case (pbft_normal.cc)
  void MaybePropose(Actions* out, int64_t now_ms);
  bool ProposeOne(Actions* out, int64_t now_ms, bool allow_empty);
  void OnPrePrepare(const v1::PrePrepare& pp, const std::vector<model::EventPtr>& events,
                    Actions* out, int64_t now_ms, bool retry = true);
  // Accepts `pp` in the current view and sends PREPARE. `fresh`: subject to the clock check.
  void AcceptPrePrepare(const v1::PrePrepare& pp, const std::vector<model::EventPtr>& events,
                        bool fresh, Actions* out, int64_t now_ms);
  void OnPrepare(const v1::Vote& v, Actions* out, int64_t now_ms);
  void OnCommit(const v1::Vote& v, Actions* out, int64_t now_ms);
  void CheckPrepared(uint64_t height, Actions* out, int64_t now_ms);
  void CheckCommitted(uint64_t height, Actions* out, int64_t now_ms);
  void SendVote(SentKind kind, uint64_t height, const Bytes& digest, Actions* out);
  void TryOrder(Actions* out, int64_t now_ms);
  void OrderBlock(const v1::Proposal& proposal, const v1::CommitCertificate& cert,
                  std::vector<model::EventPtr> events, Actions* out, int64_t now_ms);
  std::optional<int64_t> ParentTime(uint64_t height) const;
  void RetryBuffered(Actions* out, int64_t now_ms);
  bool MayVote() const { return diverged_height == 0; }

  // ---- view change (pbft_view_change.cc)
  void StartViewChange(uint64_t new_view, Actions* out, int64_t now_ms);
  void OnViewChange(const v1::ViewChange& vc, Actions* out, int64_t now_ms);
  void MaybeSendNewView(Actions* out, int64_t now_ms);
  void OnNewView(const InboundMessage& in, Actions* out, int64_t now_ms);
  // Adds the proposal of `vc`'s stable block (ViewChange.stable_proposal) when `vc` lacks it
  // and this replica holds it.
  void AttachStableHeader(v1::ViewChange* vc) const;
  void EnterView(uint64_t new_view, const v1::CheckpointCertificate& stable,
                 const std::vector<const v1::PrePrepare*>& pps,
                 const std::vector<const std::vector<model::EventPtr>*>& events, Actions* out,
                 int64_t now_ms);

  // ---- checkpoints and state transfer (pbft_checkpoint.cc)
  void RestoreJournal(const std::vector<v1::JournalEntry>& journal);
  // At every checkpoint_interval-th height and every empty block: SignCheckpoint.
  void TakeCheckpoint(const Committed& c, Actions* out);
  // Signs, sends and counts our checkpoint of the stored block `c`.
  void SignCheckpoint(const Committed& c, Actions* out);
  void OnCheckpoint(const v1::Checkpoint& cp, Actions* out, int64_t now_ms);
  void AdoptStable(const v1::CheckpointCertificate& cert, Actions* out, int64_t now_ms);
  void NoteTarget(uint64_t height);
  void MaybeFetch(Actions* out, int64_t now_ms, bool force);
  void OnBlocks(const InboundMessage& in, Actions* out, int64_t now_ms);

  // ---- configuration
  std::shared_ptr<const model::Genesis> genesis;
  PbftOptions opt;
  const Signer* signer;
  uint32_t n;
  uint32_t f;
  uint32_t quorum;
  uint32_t self;
  // n = 1: no peers. The few steps this changes are in docs/consensus.md, "One replica (n = 1)".
  bool Alone() const { return n == 1; }

  // ---- view
  uint64_t view = 0;
  bool view_changing = false;
  uint32_t vc_timeout_ms;      // current back-off
  int64_t vc_deadline_ms = 0;  // waiting for NEW-VIEW until then
  std::map<uint64_t, std::map<uint32_t, v1::ViewChange>> view_changes;  // by new view
  std::map<uint64_t, v1::ViewChange> my_view_changes;                   // sent, by new view
  std::shared_ptr<v1::PeerMessage> last_new_view;  // the NEW-VIEW of the current view
  uint64_t proposed_height = 0;  // primary: highest height pre-prepared in the current view

  // ---- log
  std::map<uint64_t, Slot> slots;
  std::map<uint64_t, InboundMessage> buffered;  // fresh pre-prepares waiting for their parent
  // Signed messages sent, by (kind, view, height): never a different one (DESIGN §6).
  std::map<std::tuple<SentKind, uint64_t, uint64_t>, v1::Vote> sent;
  std::map<std::pair<uint64_t, uint64_t>, v1::PrePrepare> sent_pp;  // (view, height), events kept

  // ---- chain
  uint64_t ordered = 0;                       // highest height handed to the runtime (CommitBlock)
  Bytes ordered_hash;                         // block hash at `ordered`
  int64_t ordered_time_ms;                    // block time at `ordered`
  uint64_t committed = 0;                     // highest height the runtime reported stored
  std::map<uint64_t, Bytes> ordered_digests;  // proposal digests ordered above stable
  std::map<uint64_t, bool> ordered_empty;     // heights ordered, not yet checkpointed: empty?
  std::map<uint64_t, Bytes> my_results;       // results at heights >= stable, for checkpoints
  std::map<uint64_t, Bytes> my_hashes;
  // Blocks at heights >= stable that we ordered, or whose proof a NEW-VIEW carried: a
  // VIEW-CHANGE proves its stable block's time with one (AttachStableHeader).
  std::map<uint64_t, BlockHeaderProof> headers;

  // ---- checkpoints
  v1::CheckpointCertificate stable;
  std::map<uint64_t, std::map<uint32_t, v1::Checkpoint>> checkpoints;
  std::map<uint64_t, v1::Checkpoint> my_checkpoints;
  uint64_t diverged_height = 0;
  uint64_t last_checkpointed = 0;  // highest height with a checkpoint taken
  int64_t last_activity_ms = 0;    // last proposal or ordering (for the idle empty block)

  // ---- state transfer
  uint64_t target = 0;         // highest height known committed by someone honest
  uint64_t stable_target = 0;  // highest stable checkpoint f+1 peers report
  bool fetching = false;
  uint32_t fetch_peer = 0;
  int64_t fetch_deadline_ms = 0;
  int64_t last_progress_ms = 0;
  int64_t behind_since_ms = 0;      // when `target` last rose above `ordered` (CheckTimeouts)
  uint64_t blocks_transferred = 0;  // blocks ordered from Blocks answers (status only)

  // Parses events of journalled and relayed prepared certificates (no signature checks: the
  // gate checked relayed ones, our journal holds what we checked).
  std::unique_ptr<model::EventValidator> parser;
  std::vector<model::EventPtr> ParseEvents(
      const google::protobuf::RepeatedPtrField<v1::SignedEvent>& events) const;
  void RelayPendingToPrimary(Actions* out);
  // Sends `events` in ForwardEvents messages of a bounded size, to `to` or (nullopt) everyone.
  void SendForwards(const std::vector<model::EventPtr>& events, std::optional<uint32_t> to,
                    Actions* out);

  // ---- peers, mempool, timers
  std::vector<PeerState> peers;         // indexed by replica id
  std::vector<int64_t> last_resend_ms;  // by replica id: when ResendNewView last sent to it
  PbftMempool mempool;
  bool flushing = false;
  int64_t next_heartbeat_ms = 0;
  int64_t armed_ms = 0;
};

}  // namespace shipledger::consensus
