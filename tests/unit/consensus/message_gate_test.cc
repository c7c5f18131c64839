// MessageGate: frames, senders, votes, pre-prepares, checkpoints, forwards, fetches, the verified
// set, and random frames. View changes, new views and blocks: message_gate_view_test.cc.
#include "consensus/message_gate.h"

#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "gate_fixture.h"

namespace shipledger::consensus {
namespace {

class MessageGateTest : public GateTest {};

// --- frames and senders ----------------------------------------------------------------------

TEST_F(MessageGateTest, GarbageFrameIsRejected) {
  EXPECT_TRUE(Rejected(gate_->Admit(1, "\xff\xff\xff\xff garbage", now()), Code::kInvalidArgument,
                       "is not a peer message"));
}

TEST_F(MessageGateTest, EmptyMessageIsRejected) {
  EXPECT_TRUE(Rejected(gate_->Admit(1, "", now()), Code::kInvalidArgument, "empty peer message"));
}

TEST_F(MessageGateTest, SenderOutsideTheNetworkIsRejected) {
  v1::PeerMessage m;
  m.mutable_heartbeat()->set_view(1);
  EXPECT_TRUE(Rejected(Admit(4, m), Code::kInvalidArgument, "replica 4, but n = 4"));
}

TEST_F(MessageGateTest, MessageFromSelfIsRejected) {
  v1::PeerMessage m;
  m.mutable_heartbeat()->set_view(1);
  EXPECT_TRUE(Rejected(Admit(0, m), Code::kInvalidArgument, "which is this replica"));
}

TEST_F(MessageGateTest, HeartbeatIsAdmitted) {
  v1::PeerMessage m;
  m.mutable_heartbeat()->set_view(3);
  m.mutable_heartbeat()->set_committed_height(17);
  auto r = Admit(2, m);
  ASSERT_TRUE(Admitted(r));
  EXPECT_EQ(r->from, 2u);
  EXPECT_EQ(r->message.heartbeat().committed_height(), 17u);
  EXPECT_TRUE(r->events.empty());
}

// --- prepare / commit ------------------------------------------------------------------------

TEST_F(MessageGateTest, PrepareAndCommitAreAdmitted) {
  const Bytes digest = crypto::Sha256("proposal");
  EXPECT_TRUE(Admitted(Admit(2, WrapPrepare(Vote(model::VoteType::kPrepare, 2, 1, 5, digest)))));
  EXPECT_TRUE(Admitted(Admit(3, WrapCommit(Vote(model::VoteType::kCommit, 3, 1, 5, digest)))));
}

TEST_F(MessageGateTest, VoteClaimingAnotherReplicaIsRejected) {
  const v1::Vote v = Vote(model::VoteType::kPrepare, 3, 1, 5, crypto::Sha256("p"));
  EXPECT_TRUE(Rejected(Admit(2, WrapPrepare(v)), Code::kInvalidArgument,
                       "prepare from replica 2 claims replica 3"));
}

TEST_F(MessageGateTest, VoteWithTamperedSignatureIsRejected) {
  v1::Vote v = Vote(model::VoteType::kCommit, 2, 1, 5, crypto::Sha256("p"));
  v.set_height(6);  // signed for height 5
  EXPECT_TRUE(
      Rejected(Admit(2, WrapCommit(v)), Code::kInvalidArgument, "bad signature of replica 2"));
  v = Vote(model::VoteType::kCommit, 2, 1, 5, crypto::Sha256("p"));
  v.set_signature(SignAs(3, model::VoteMessage(chain(), model::VoteType::kCommit, 1, 5,
                                               v.digest())));  // another replica's key
  EXPECT_TRUE(Rejected(Admit(2, WrapCommit(v)), Code::kInvalidArgument, "bad signature"));
}

TEST_F(MessageGateTest, PrepareSignatureDoesNotMakeACommit) {
  const v1::Vote v = Vote(model::VoteType::kPrepare, 2, 1, 5, crypto::Sha256("p"));
  EXPECT_TRUE(Rejected(Admit(2, WrapCommit(v)), Code::kInvalidArgument, "bad signature"));
}

TEST_F(MessageGateTest, VoteWithMalformedFieldsIsRejected) {
  EXPECT_TRUE(Rejected(Admit(2, WrapPrepare(Vote(model::VoteType::kPrepare, 2, 1, 5, "short"))),
                       Code::kInvalidArgument, "digest of 5 bytes"));
  EXPECT_TRUE(
      Rejected(Admit(2, WrapPrepare(Vote(model::VoteType::kPrepare, 2, 1, 0, crypto::Sha256("p")))),
               Code::kInvalidArgument, "height 0"));
}

// --- pre-prepare -----------------------------------------------------------------------------

TEST_F(MessageGateTest, PrePrepareIsAdmittedWithItsParsedEvents) {
  const auto events = Events(3);
  auto r = Admit(1, Wrap(PrePrepare(1, 4, events)));
  ASSERT_TRUE(Admitted(r));
  ASSERT_EQ(r->events.size(), 1u);
  ASSERT_EQ(r->events[0].size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r->events[0][i]->id, model::EventId(events[i].event()));
    EXPECT_EQ(r->events[0][i]->leaf_hash, model::EventLeafHash(events[i]));
  }
}

TEST_F(MessageGateTest, EmptyPrePrepareIsAdmitted) {
  const v1::Proposal p = Proposal(4, {});
  EXPECT_EQ(p.events_root(), crypto::MerkleRoot({}));  // SHA-256("") for the empty tree
  auto r = Admit(1, Wrap(PrePrepare(1, p, {})));
  ASSERT_TRUE(Admitted(r));
  ASSERT_EQ(r->events.size(), 1u);
  EXPECT_TRUE(r->events[0].empty());
}

TEST_F(MessageGateTest, PrePrepareFromNonPrimaryIsRejected) {
  v1::PrePrepare pp = PrePrepare(5, 4, Events(1));  // primary of view 5 is 1
  pp.set_replica(2);
  SignPrePrepare(&pp);
  EXPECT_TRUE(Rejected(Admit(2, Wrap(pp)), Code::kInvalidArgument,
                       "pre-prepare for view 5 from replica 2, but the primary of view 5 is 1"));
}

TEST_F(MessageGateTest, PrePrepareClaimingAnotherReplicaIsRejected) {
  const v1::PrePrepare pp = PrePrepare(1, 4, Events(1));
  EXPECT_TRUE(Rejected(Admit(2, Wrap(pp)), Code::kInvalidArgument,
                       "pre-prepare from replica 2 claims replica 1"));
}

TEST_F(MessageGateTest, PrePrepareWithTamperedSignatureIsRejected) {
  v1::PrePrepare pp = PrePrepare(1, 4, Events(1));
  pp.mutable_proposal()->set_timestamp_ms(now() + 1);  // signed for another timestamp
  EXPECT_TRUE(Rejected(Admit(1, Wrap(pp)), Code::kInvalidArgument, "bad signature of replica 1"));
  pp = PrePrepare(1, 4, Events(1));
  pp.set_view(5);  // same primary, other view
  EXPECT_TRUE(Rejected(Admit(1, Wrap(pp)), Code::kInvalidArgument, "bad signature"));
}

TEST_F(MessageGateTest, PrePrepareWithBadProposalIsRejected) {
  const auto events = Events(1);
  struct Case {
    std::function<void(v1::Proposal&)> edit;
    std::string error;
  };
  const std::vector<Case> cases = {
      {[](v1::Proposal& p) { p.set_chain_id("other-chain"); }, "for chain 'other-chain'"},
      {[](v1::Proposal& p) { p.set_height(0); }, "proposes height 0"},
      {[](v1::Proposal& p) { p.set_proposer(4); }, "names proposer 4 but n = 4"},
  };
  for (const auto& c : cases) {
    v1::Proposal p = Proposal(4, events);
    c.edit(p);
    EXPECT_TRUE(
        Rejected(Admit(1, Wrap(PrePrepare(1, p, events))), Code::kInvalidArgument, c.error));
  }
}

TEST_F(MessageGateTest, ReProposalByAnotherProposerIsAdmitted) {
  // After a view change the new primary re-proposes a proposal byte-for-byte, proposer and all.
  const auto events = Events(1);
  EXPECT_TRUE(Admitted(Admit(2, Wrap(PrePrepare(2, Proposal(4, events, 1), events)))));
}

TEST_F(MessageGateTest, PrePrepareWithBadEventsRootIsRejected) {
  const auto events = Events(2);
  v1::Proposal p = Proposal(4, events);
  p.set_events_root(crypto::Sha256("something else"));
  EXPECT_TRUE(Rejected(Admit(1, Wrap(PrePrepare(1, p, events))), Code::kInvalidArgument,
                       "do not match the proposal's events root"));
  // Reordered events: same set, another root.
  EXPECT_TRUE(Rejected(Admit(1, Wrap(PrePrepare(1, Proposal(4, events), {events[1], events[0]}))),
                       Code::kInvalidArgument, "events root"));
}

TEST_F(MessageGateTest, PrePrepareWithWrongEventCountIsRejected) {
  const auto events = Events(2);
  v1::Proposal p = Proposal(4, events);
  p.set_event_count(3);
  EXPECT_TRUE(Rejected(Admit(1, Wrap(PrePrepare(1, p, events))), Code::kInvalidArgument,
                       "counts 3 events but 2 are attached"));
}

TEST_F(MessageGateTest, PrePrepareOverTheBatchLimitIsRejected) {
  EditGenesis([](model::Genesis& g) { g.consensus.batch_max_events = 2; });
  EXPECT_TRUE(Admitted(Admit(1, Wrap(PrePrepare(1, 4, Events(2))))));
  EXPECT_TRUE(Rejected(Admit(1, Wrap(PrePrepare(1, 4, Events(3)))), Code::kInvalidArgument,
                       "a block holds at most 2"));
}

TEST_F(MessageGateTest, PrePrepareWithDuplicateEventIsRejected) {
  auto events = Events(2);
  events.push_back(events[0]);
  EXPECT_TRUE(Rejected(Admit(1, Wrap(PrePrepare(1, 4, events))), Code::kInvalidArgument,
                       "event 2 repeats event"));
  // The same event under another (valid) envelope is the same id, too.
  v1::SignedEvent again = events[1];
  again.set_signature(
      Must(net_->org("exporter").client.key.Sign(model::EventSigningMessage(again.event()))));
  ASSERT_NE(again.signature(), events[1].signature());  // ECDSA signatures are randomised
  EXPECT_TRUE(Rejected(Admit(1, Wrap(PrePrepare(1, 4, {events[0], events[1], again}))),
                       Code::kInvalidArgument, "repeats event"));
}

TEST_F(MessageGateTest, PrePrepareWithBadEventSignatureIsRejected) {
  auto events = Events(2);
  events[1].set_signature(events[0].signature());
  EXPECT_TRUE(Rejected(Admit(1, Wrap(PrePrepare(1, 4, events))), Code::kInvalidArgument,
                       "event 1: event signature"));
}

TEST_F(MessageGateTest, PrePrepareWithEventExpiredAtBlockTimeIsRejected) {
  const config::Identity old = Client("exporter", now() - 10 * kDayMs, now() - kHourMs);
  v1::Event e = net_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "SHP-OLD");
  e.set_occurred_at_ms(now() - 2 * kHourMs);
  const std::vector<v1::SignedEvent> events = {net_->Sign(e, old)};
  EXPECT_TRUE(
      Rejected(Admit(1, Wrap(PrePrepare(1, 4, events))), Code::kPermissionDenied, "expired"));
  // Certificates are judged at block time (DESIGN §3): a block made while it was valid passes.
  v1::Proposal earlier = Proposal(4, events);
  earlier.set_timestamp_ms(now() - 2 * kHourMs);
  EXPECT_TRUE(Admitted(Admit(1, Wrap(PrePrepare(1, earlier, events)))));
}

TEST_F(MessageGateTest, PrePrepareLeavesTheClockCheckToTheCore) {
  // An event older than max_event_age_ms would fail admission, but a proposal carrying it is
  // judged against the proposal's time, not the clock (re-proposals may be old).
  v1::Event e = net_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "SHP-1");
  e.set_occurred_at_ms(now() - genesis_->limits.max_event_age_ms - kDayMs);
  const std::vector<v1::SignedEvent> events = {net_->Sign(e, net_->org("exporter").client)};
  EXPECT_TRUE(Admitted(Admit(1, Wrap(PrePrepare(1, 4, events)))));
  EXPECT_TRUE(Rejected(Admit(1, Forward(events)), Code::kInvalidArgument, "days in the past"));
}

// --- checkpoint ------------------------------------------------------------------------------

v1::PeerMessage CheckpointMessage(const Bytes& signature, uint32_t replica, uint64_t height,
                                  const Bytes& block_hash, const Bytes& results) {
  v1::PeerMessage m;
  auto* c = m.mutable_checkpoint();
  c->set_height(height);
  c->set_block_hash(block_hash);
  c->set_results(results);
  c->set_replica(replica);
  c->set_signature(signature);
  return m;
}

TEST_F(MessageGateTest, CheckpointIsAdmitted) {
  const Bytes h = crypto::Sha256("b"), r = crypto::Sha256("r");
  const Bytes sig = SignAs(3, model::CheckpointMessage(chain(), 64, h, r));
  EXPECT_TRUE(Admitted(Admit(3, CheckpointMessage(sig, 3, 64, h, r))));
}

TEST_F(MessageGateTest, BadCheckpointIsRejected) {
  const Bytes h = crypto::Sha256("b"), r = crypto::Sha256("r");
  const Bytes sig = SignAs(3, model::CheckpointMessage(chain(), 64, h, r));
  EXPECT_TRUE(Rejected(Admit(2, CheckpointMessage(sig, 3, 64, h, r)), Code::kInvalidArgument,
                       "checkpoint from replica 2 claims replica 3"));
  EXPECT_TRUE(Rejected(Admit(3, CheckpointMessage(sig, 3, 65, h, r)), Code::kInvalidArgument,
                       "bad signature of replica 3"));
  EXPECT_TRUE(Rejected(Admit(3, CheckpointMessage(sig, 3, 64, h, "short")), Code::kInvalidArgument,
                       "both must be 32"));
  EXPECT_TRUE(
      Rejected(Admit(3, CheckpointMessage(sig, 3, 0, h, r)), Code::kInvalidArgument, "height 0"));
}

// --- forward ---------------------------------------------------------------------------------

TEST_F(MessageGateTest, ForwardIsAdmittedWithItsEvents) {
  const auto events = Events(3);
  auto r = Admit(2, Forward(events));
  ASSERT_TRUE(Admitted(r));
  ASSERT_EQ(r->events.size(), 1u);
  ASSERT_EQ(r->events[0].size(), 3u);
  EXPECT_EQ(r->events[0][2]->id, model::EventId(events[2].event()));
}

TEST_F(MessageGateTest, ForwardOverTheBatchLimitIsRejected) {
  EditGenesis([](model::Genesis& g) { g.limits.max_batch_events = 2; });
  EXPECT_TRUE(Rejected(Admit(2, Forward(Events(3))), Code::kInvalidArgument,
                       "forward carries 3 events; at most 2"));
}

TEST_F(MessageGateTest, ForwardAppliesTheAdmissionRules) {
  v1::Event e = net_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "SHP-1");
  e.set_occurred_at_ms(now() + genesis_->limits.max_future_skew_ms + 60000);
  EXPECT_TRUE(Rejected(Admit(2, Forward({net_->Sign(e, net_->org("exporter").client)})),
                       Code::kInvalidArgument, "in the future"));
  const config::Identity old = Client("exporter", now() - 10 * kDayMs, now() - kHourMs);
  EXPECT_TRUE(Rejected(
      Admit(2, Forward({net_->Sign(net_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "S"), old)})),
      Code::kPermissionDenied, "expired"));
  auto events = Events(2);
  events[1].set_signature("nonsense");
  EXPECT_TRUE(Rejected(Admit(2, Forward(events)), Code::kInvalidArgument,
                       "forwarded event 1: event signature"));
}

// A runner that checks on another thread, last task first: the gate must still keep the
// events in position order and report the first failing position.
class ReversedThreadRunner final : public model::ParallelRunner {
 public:
  void ForEach(size_t n, const std::function<void(size_t)>& task) override {
    std::thread worker([&] {
      for (size_t i = n; i-- > 0;) task(i);
    });
    worker.join();
    calls += n;
  }
  size_t calls = 0;
};

TEST_F(MessageGateTest, EventsAreCheckedOnTheRunnerAndKeptInPositionOrder) {
  ReversedThreadRunner runner;
  gate_ = std::make_unique<MessageGate>(genesis_, validator_.get(), 0, &runner);
  const auto events = Events(4);
  auto ok = Admit(2, Forward(events));
  ASSERT_TRUE(Admitted(ok));
  ASSERT_EQ(ok->events[0].size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(ok->events[0][i]->id, model::EventId(events[i].event())) << i;
  }
  EXPECT_EQ(runner.calls, 4u);

  auto bad = Events(4);
  bad[1].set_signature("nonsense");
  bad[3].set_signature("nonsense");
  EXPECT_TRUE(Rejected(Admit(2, Forward(bad)), Code::kInvalidArgument,
                       "forwarded event 1: event signature"));
  EXPECT_EQ(runner.calls, 8u);
}

TEST_F(MessageGateTest, EventsAfterAFailedOneAreNotVerified) {
  auto events = Events(50);
  events[0].set_signature("nonsense");
  const auto before = validator_->verifications();
  EXPECT_TRUE(Rejected(Admit(2, Forward(events)), Code::kInvalidArgument,
                       "forwarded event 0: event signature"));
  EXPECT_EQ(validator_->verifications() - before, 1u);  // not 50
}

// --- fetch-blocks ----------------------------------------------------------------------------

TEST_F(MessageGateTest, FetchBlocksBounds) {
  auto fetch = [&](uint64_t from, uint32_t max) {
    v1::PeerMessage m;
    m.mutable_fetch_blocks()->set_from_height(from);
    m.mutable_fetch_blocks()->set_max_blocks(max);
    return Admit(3, m);
  };
  EXPECT_TRUE(Admitted(fetch(1, 1)));
  EXPECT_TRUE(Admitted(fetch(100, 64)));
  EXPECT_TRUE(Rejected(fetch(0, 10), Code::kInvalidArgument, "from height 0"));
  EXPECT_TRUE(Rejected(fetch(1, 0), Code::kInvalidArgument, "asks for 0 blocks"));
  EXPECT_TRUE(Rejected(fetch(1, 65), Code::kInvalidArgument, "asks for 65 blocks"));
}

// --- the verified set ------------------------------------------------------------------------

// An AdmittedEvent for `se` as if it had been validated, whatever its signatures say.
model::EventPtr Vouched(const model::EventValidator& validator, const v1::SignedEvent& se) {
  return Must(validator.Parse(se));
}

TEST_F(MessageGateTest, NotedEnvelopeIsNotVerifiedAgain) {
  // The gate is told this envelope was verified, although its signature is broken: the only way
  // it can then be admitted is without a second signature check.
  v1::SignedEvent se = Events(1)[0];
  se.set_signature(Must(net_->org("importer")
                            .client.key.Sign(model::EventSigningMessage(
                                se.event()))));  // a valid signature by the wrong key
  gate_->NoteVerified({Vouched(*validator_, se)});
  EXPECT_TRUE(Admitted(Admit(2, Forward({se}))));
  EXPECT_TRUE(Admitted(Admit(1, Wrap(PrePrepare(1, 4, {se})))));

  // Any other envelope of the same event is verified: the set is keyed by the whole envelope.
  v1::SignedEvent other = se;
  other.set_signature(
      Must(net_->org("importer").client.key.Sign(model::EventSigningMessage(se.event()))));
  EXPECT_TRUE(Rejected(Admit(2, Forward({other})), Code::kInvalidArgument, "event signature"));
}

TEST_F(MessageGateTest, VerifiedEnvelopeStillObeysTheTimeRules) {
  const config::Identity old = Client("exporter", now() - 10 * kDayMs, now() - kHourMs);
  v1::Event e = net_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "SHP-OLD");
  e.set_occurred_at_ms(now() - 2 * kHourMs);
  const v1::SignedEvent se = net_->Sign(e, old);
  model::ValidateOptions then;
  then.cert_time_ms = now() - 2 * kHourMs;
  gate_->NoteVerified({Must(validator_->Validate(se, then))});
  EXPECT_TRUE(
      Rejected(Admit(1, Wrap(PrePrepare(1, 4, {se}))), Code::kPermissionDenied, "not valid at"));
  v1::Event future = net_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "SHP-F");
  future.set_occurred_at_ms(now() + 2 * genesis_->limits.max_future_skew_ms);
  const v1::SignedEvent fse = net_->Sign(future, net_->org("exporter").client);
  gate_->NoteVerified({Vouched(*validator_, fse)});
  EXPECT_TRUE(Rejected(Admit(2, Forward({fse})), Code::kInvalidArgument, "in the future"));
}

TEST_F(MessageGateTest, RememberingVerifiedEventsDoesNotWeakenTheChecks) {
  // A forward verifies (and remembers) the events; a pre-prepare carrying the same envelopes is
  // admitted, and one carrying a tampered copy of one of them is still rejected.
  const auto events = Events(2);
  ASSERT_TRUE(Admitted(Admit(2, Forward(events))));
  EXPECT_TRUE(Admitted(Admit(1, Wrap(PrePrepare(1, 4, events)))));
  auto tampered = events;
  tampered[0].set_signature(tampered[1].signature());
  EXPECT_TRUE(Rejected(Admit(1, Wrap(PrePrepare(1, 4, tampered))), Code::kInvalidArgument,
                       "event signature"));
}

TEST_F(MessageGateTest, CopiesOfAHeldEnvelopeShareOneParsedEvent) {
  // A forward's events wait in the mempool; the PRE-PREPARE that carries them gets the same
  // immutable objects back instead of parsing its copies again.
  const auto events = Events(2);
  auto forward = Admit(2, Forward(events));
  ASSERT_TRUE(Admitted(forward));
  auto pre_prepare = Admit(1, Wrap(PrePrepare(1, 4, events)));
  ASSERT_TRUE(Admitted(pre_prepare));
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(pre_prepare->events[0][i].get(), forward->events[0][i].get()) << i;
  }
  // So does an event admitted from a client and noted by the node.
  const v1::SignedEvent noted_envelope = Events(3)[2];
  model::ValidateOptions at_now;
  at_now.cert_time_ms = now();
  const model::EventPtr noted = Must(validator_->Validate(noted_envelope, at_now));
  gate_->NoteVerified({noted});
  auto with_noted = Admit(2, Forward({noted_envelope}));
  ASSERT_TRUE(Admitted(with_noted));
  EXPECT_EQ(with_noted->events[0][0].get(), noted.get());
}

TEST_F(MessageGateTest, EnvelopesNobodyHoldsAreParsedAgain) {
  // The gate holds parsed events weakly: once the node lets go of them, a copy of the envelope
  // is parsed afresh (not verified: the envelope is still remembered as verified).
  const auto events = Events(1);
  std::weak_ptr<const model::AdmittedEvent> first;
  {
    auto forward = Admit(2, Forward(events));
    ASSERT_TRUE(Admitted(forward));
    first = forward->events[0][0];
  }
  EXPECT_TRUE(first.expired());
  auto pre_prepare = Admit(1, Wrap(PrePrepare(1, 4, events)));
  ASSERT_TRUE(Admitted(pre_prepare));
  EXPECT_EQ(pre_prepare->events[0][0]->id, model::EventId(events[0].event()));
  EXPECT_EQ(pre_prepare->events[0][0]->leaf_hash, model::EventLeafHash(events[0]));
}

// --- robustness ------------------------------------------------------------------------------

// Messages that carry no signature and may be admitted even when made of random bytes.
bool Unsigned(const v1::PeerMessage& m) {
  return m.has_heartbeat() || m.has_fetch_blocks() ||
         (m.has_forward() && m.forward().events_size() == 0) ||
         (m.has_blocks() && m.blocks().blocks_size() == 0);
}

std::string Canonical(const v1::PeerMessage& m) {
  v1::PeerMessage copy = m;
  copy.DiscardUnknownFields();
  return copy.SerializeAsString();
}

TEST_F(MessageGateTest, RandomAndMutatedFramesAreRejected) {
  // Valid messages to mutate; each passes before mutation.
  std::vector<std::pair<uint32_t, v1::PeerMessage>> valid;
  valid.emplace_back(1, Wrap(PrePrepare(1, 4, Events(2))));
  valid.emplace_back(2, WrapPrepare(Vote(model::VoteType::kPrepare, 2, 1, 5, crypto::Sha256("p"))));
  valid.emplace_back(3, WrapCommit(Vote(model::VoteType::kCommit, 3, 1, 5, crypto::Sha256("p"))));
  {
    const Bytes h = crypto::Sha256("b"), r = crypto::Sha256("r");
    const Bytes sig = SignAs(3, model::CheckpointMessage(chain(), 64, h, r));
    valid.emplace_back(3, CheckpointMessage(sig, 3, 64, h, r));
  }
  valid.emplace_back(2, Wrap(Chain(2)));
  {
    const auto events = Events(1);
    const v1::Proposal prepared = Proposal(1, events, 0);
    const v1::ViewChange vc =
        ViewChange(2, 1, Stable(64), {Prepared(0, Proposal(65, events, 0), events)});
    valid.emplace_back(2, Wrap(vc));
    v1::NewView nv;
    nv.set_view(1);
    nv.set_replica(1);
    *nv.add_view_changes() = ViewChange(0, 1, Stable(0), {Prepared(0, prepared, {})});
    *nv.add_view_changes() = ViewChange(2, 1, Stable(0));
    *nv.add_view_changes() = ViewChange(3, 1, Stable(0));
    *nv.add_pre_prepares() = PrePrepare(1, prepared, events);
    valid.emplace_back(1, Wrap(nv));
  }
  for (const auto& [from, m] : valid) ASSERT_TRUE(Admitted(Admit(from, m)));

  int admitted_mutants = 0;
  for (const uint32_t seed : {20261119u, 1u, 2u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    auto uniform = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
    for (int i = 0; i < 2000; ++i) {
      // Random bytes.
      std::string noise(uniform(200), '\0');
      for (auto& c : noise) c = static_cast<char>(uniform(256));
      const auto from = static_cast<uint32_t>(uniform(6));
      auto r = gate_->Admit(from, noise, now());
      if (r.ok()) {
        EXPECT_TRUE(Unsigned(r->message)) << "random frame admitted: " << ToHex(noise);
      }

      // A mutated valid frame: bit flips, a truncation, an insertion or a deletion.
      const auto& [vfrom, vmsg] = valid[uniform(valid.size())];
      std::string frame = vmsg.SerializeAsString();
      switch (uniform(4)) {
        case 0:
          for (size_t k = 0, flips = 1 + uniform(3); k < flips; ++k) {
            frame[uniform(frame.size())] ^= static_cast<char>(1 << uniform(8));
          }
          break;
        case 1:
          frame.resize(uniform(frame.size()));
          break;
        case 2:
          frame.insert(uniform(frame.size() + 1), 1, static_cast<char>(uniform(256)));
          break;
        default:
          frame.erase(uniform(frame.size()), 1 + uniform(8));
          break;
      }
      auto m = gate_->Admit(vfrom, frame, now());
      if (m.ok()) {
        // Only a mutation that changed nothing the protocol reads (e.g. it became an unknown
        // field), or one that turned the frame into a message that carries no signature (a
        // prepare whose tag became a heartbeat's), may pass.
        ++admitted_mutants;
        if (!Unsigned(m->message)) {
          EXPECT_EQ(Canonical(m->message), Canonical(vmsg)) << "mutant admitted: " << ToHex(frame);
        }
      }
    }
  }
  RecordProperty("admitted_mutants", admitted_mutants);
  EXPECT_LT(admitted_mutants, 100);  // almost every mutant breaks a signature or a hash
}

}  // namespace
}  // namespace shipledger::consensus
