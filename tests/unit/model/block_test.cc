#include "model/block.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "crypto/merkle.h"
#include "crypto/sha256.h"
#include "testing/test_network.h"

namespace shipledger::model {
namespace {

using namespace std::string_literals;
using ::testing::HasSubstr;

v1::Proposal SampleProposal() {
  v1::Proposal p;
  p.set_chain_id("test-chain");
  p.set_height(7);
  p.set_events_root(crypto::Sha256("events"));
  p.set_proposer(2);
  p.set_timestamp_ms(1795000000123);
  p.set_event_count(5);
  return p;
}

// --- proposal digest ----------------------------------------------------------------------

TEST(ProposalDigest, MatchesTheDocumentedEncoding) {
  const v1::Proposal p = SampleProposal();
  Bytes enc;
  PutLengthPrefixed(&enc, "test-chain");
  PutU64BE(&enc, 7);
  PutLengthPrefixed(&enc, p.events_root());
  PutU32BE(&enc, 2);
  PutU64BE(&enc, 1795000000123);
  PutU32BE(&enc, 5);
  // Nothing but these fields (no view, no prev hash) goes under the digest (DESIGN §5).
  EXPECT_EQ(ProposalDigest(p), crypto::Sha256("shipledger/proposal/v1"s + enc));
  EXPECT_EQ(ProposalDigest(p).size(), 32u);
}

TEST(ProposalDigest, ChangesWithEachField) {
  const Bytes base = ProposalDigest(SampleProposal());
  std::set<Bytes> seen = {base};
  auto expect_new = [&](const v1::Proposal& p, const char* what) {
    const Bytes d = ProposalDigest(p);
    EXPECT_NE(d, base) << what;
    EXPECT_TRUE(seen.insert(d).second) << what << " collides";
  };
  v1::Proposal p = SampleProposal();
  p.set_chain_id("other-chain");
  expect_new(p, "chain_id");
  p = SampleProposal();
  p.set_height(8);
  expect_new(p, "height");
  p = SampleProposal();
  p.set_events_root(crypto::Sha256("other events"));
  expect_new(p, "events_root");
  p = SampleProposal();
  p.set_proposer(3);
  expect_new(p, "proposer");
  p = SampleProposal();
  p.set_timestamp_ms(1795000000124);
  expect_new(p, "timestamp_ms");
  p = SampleProposal();
  p.set_event_count(6);
  expect_new(p, "event_count");
}

TEST(ProposalDigest, FieldBoundariesAreUnambiguous) {
  v1::Proposal a = SampleProposal();
  a.set_chain_id("ab");
  a.set_events_root("c");
  v1::Proposal b = SampleProposal();
  b.set_chain_id("a");
  b.set_events_root("bc");
  EXPECT_NE(ProposalDigest(a), ProposalDigest(b));
}

TEST(ProposalDigest, NegativeTimestampIsEncodedNotCollapsed) {
  v1::Proposal a = SampleProposal();
  a.set_timestamp_ms(-1);
  v1::Proposal b = SampleProposal();
  b.set_timestamp_ms(0);
  EXPECT_NE(ProposalDigest(a), ProposalDigest(b));
}

// --- block hash chain ---------------------------------------------------------------------

TEST(BlockHash, IsDomainTaggedHashOfDigestAndPrev) {
  const Bytes d = crypto::Sha256("d");
  const Bytes prev = crypto::Sha256("prev");
  EXPECT_EQ(BlockHash(d, prev), crypto::Sha256("shipledger/block/v1"s + d + prev));
  EXPECT_NE(BlockHash(d, prev), BlockHash(prev, d));
}

TEST(BlockHash, ChainsEveryEarlierBlock) {
  const Bytes genesis = crypto::Sha256("genesis");
  std::vector<Bytes> digests;
  for (int h = 1; h <= 3; ++h) {
    v1::Proposal p = SampleProposal();
    p.set_height(static_cast<uint64_t>(h));
    digests.push_back(ProposalDigest(p));
  }
  auto chain = [&](const Bytes& start, const std::vector<Bytes>& ds) {
    std::vector<Bytes> hashes;
    Bytes prev = start;
    for (const auto& d : ds) {
      prev = BlockHash(d, prev);
      hashes.push_back(prev);
    }
    return hashes;
  };
  const auto base = chain(genesis, digests);
  // Another genesis changes every block hash.
  const auto other_genesis = chain(crypto::Sha256("other genesis"), digests);
  for (size_t i = 0; i < base.size(); ++i) EXPECT_NE(base[i], other_genesis[i]) << i;
  // Changing block 1 changes blocks 1..3; blocks before a change stay put.
  auto tampered = digests;
  tampered[1] = crypto::Sha256("tampered");
  const auto t = chain(genesis, tampered);
  EXPECT_EQ(t[0], base[0]);
  EXPECT_NE(t[1], base[1]);
  EXPECT_NE(t[2], base[2]);
}

// --- votes --------------------------------------------------------------------------------

TEST(VoteMessage, MatchesTheDocumentedLayout) {
  const Bytes digest = crypto::Sha256("p");
  Bytes expected = "shipledger/v1";
  PutLengthPrefixed(&expected, "test-chain");
  expected.push_back('\x03');
  PutU64BE(&expected, 4);
  PutU64BE(&expected, 9);
  PutLengthPrefixed(&expected, digest);
  EXPECT_EQ(VoteMessage("test-chain", VoteType::kCommit, 4, 9, digest), expected);
}

TEST(VoteMessage, DiffersPerChainTypeViewHeightAndDigest) {
  const Bytes digest = crypto::Sha256("p");
  const Bytes base = VoteMessage("c", VoteType::kCommit, 1, 2, digest);
  std::set<Bytes> seen = {base};
  const std::vector<std::pair<Bytes, const char*>> variants = {
      {VoteMessage("d", VoteType::kCommit, 1, 2, digest), "chain"},
      {VoteMessage("c", VoteType::kPrePrepare, 1, 2, digest), "pre-prepare"},
      {VoteMessage("c", VoteType::kPrepare, 1, 2, digest), "prepare"},
      {VoteMessage("c", VoteType::kCheckpoint, 1, 2, digest), "checkpoint"},
      {VoteMessage("c", VoteType::kCommit, 2, 2, digest), "view"},
      {VoteMessage("c", VoteType::kCommit, 1, 3, digest), "height"},
      {VoteMessage("c", VoteType::kCommit, 2, 1, digest), "view and height swapped"},
      {VoteMessage("c", VoteType::kCommit, 1, 2, crypto::Sha256("q")), "digest"},
  };
  for (const auto& [m, what] : variants) {
    EXPECT_NE(m, base) << what;
    EXPECT_TRUE(seen.insert(m).second) << what << " collides";
  }
}

// --- commit certificates ------------------------------------------------------------------

class CommitCertificateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = testing::TestNetwork::Create(testing::TestNetwork::DefaultOrgs(), 4);
    proposal_ = SampleProposal();
    proposal_.set_chain_id(net_->genesis()->chain_id);
  }

  Bytes SignVote(const crypto::PrivateKey& key, uint64_t view, uint64_t height,
                 VoteType type = VoteType::kCommit) const {
    auto sig = key.Sign(
        VoteMessage(net_->genesis()->chain_id, type, view, height, ProposalDigest(proposal_)));
    EXPECT_TRUE(sig.ok()) << sig.status().ToString();
    return sig.ok() ? *sig : Bytes();
  }

  // A certificate of `view` with a correct COMMIT vote by each replica in `replicas`.
  v1::CommitCertificate Cert(uint64_t view, const std::vector<uint32_t>& replicas) const {
    v1::CommitCertificate c;
    c.set_view(view);
    for (uint32_t r : replicas)
      AddVote(&c, r, SignVote(net_->node(r).key, view, proposal_.height()));
    return c;
  }

  static void AddVote(v1::CommitCertificate* c, uint32_t replica, const Bytes& sig) {
    auto* v = c->add_votes();
    v->set_replica(replica);
    v->set_signature(sig);
  }

  Status Verify(const v1::CommitCertificate& c) const {
    return VerifyCommitCertificate(*net_->genesis(), proposal_, c);
  }

  std::unique_ptr<testing::TestNetwork> net_;
  v1::Proposal proposal_;
};

TEST_F(CommitCertificateTest, QuorumOfValidVotesIsAccepted) {
  ASSERT_EQ(net_->genesis()->quorum(), 3u);
  EXPECT_TRUE(Verify(Cert(0, {0, 1, 2})).ok()) << Verify(Cert(0, {0, 1, 2})).ToString();
  EXPECT_TRUE(Verify(Cert(0, {3, 1, 0})).ok());
  EXPECT_TRUE(Verify(Cert(5, {0, 1, 2, 3})).ok());
}

TEST_F(CommitCertificateTest, SameProposalCertifiedInAnotherViewIsAccepted) {
  // The digest has no view, so a re-proposal after a view change is certified as is.
  EXPECT_TRUE(Verify(Cert(0, {0, 1, 2})).ok());
  EXPECT_TRUE(Verify(Cert(3, {1, 2, 3})).ok());
}

TEST_F(CommitCertificateTest, BelowQuorumFails) {
  const Status s = Verify(Cert(0, {0, 1}));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("has 2 votes; the quorum is 3"));
}

TEST_F(CommitCertificateTest, EmptyCertificateFails) {
  const Status s = Verify(v1::CommitCertificate());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("has 0 votes"));
}

TEST_F(CommitCertificateTest, UnknownReplicaFails) {
  v1::CommitCertificate c = Cert(0, {0, 1, 2});
  AddVote(&c, 7, SignVote(net_->node(3).key, 0, proposal_.height()));
  const Status s = Verify(c);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("vote 3 is by unknown replica 7"));
}

TEST_F(CommitCertificateTest, DuplicateReplicaFails) {
  v1::CommitCertificate c = Cert(0, {0, 1, 1});
  const Status s = Verify(c);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("two votes by replica 1"));
}

TEST_F(CommitCertificateTest, DuplicateVotesDoNotMakeUpAQuorumEvenAmongValidOnes) {
  v1::CommitCertificate c = Cert(0, {0, 1, 2, 2});
  EXPECT_FALSE(Verify(c).ok());
}

TEST_F(CommitCertificateTest, SignatureByAnotherReplicasKeyFails) {
  v1::CommitCertificate c = Cert(0, {0, 2});
  AddVote(&c, 1, SignVote(net_->node(3).key, 0, proposal_.height()));  // replica 1 forged by 3
  const Status s = Verify(c);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("vote of replica 1"));
}

TEST_F(CommitCertificateTest, SignatureByOrganisationClientKeyFails) {
  // A client certificate of the same organisation is never a voter (DESIGN §3).
  v1::CommitCertificate c = Cert(0, {1, 2});
  AddVote(&c, 0, SignVote(net_->org("exporter").client.key, 0, proposal_.height()));
  const Status s = Verify(c);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("vote of replica 0"));
}

TEST_F(CommitCertificateTest, GarbageSignatureFails) {
  v1::CommitCertificate c = Cert(0, {0, 1});
  AddVote(&c, 2, "not a signature");
  const Status s = Verify(c);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("vote of replica 2"));
}

TEST_F(CommitCertificateTest, SignatureOverAnotherHeightFails) {
  v1::CommitCertificate c = Cert(0, {0, 1});
  AddVote(&c, 2, SignVote(net_->node(2).key, 0, proposal_.height() + 1));
  const Status s = Verify(c);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("vote of replica 2"));
}

TEST_F(CommitCertificateTest, SignatureOverAnotherViewFails) {
  v1::CommitCertificate c = Cert(1, {0, 1});
  AddVote(&c, 2, SignVote(net_->node(2).key, 0, proposal_.height()));
  EXPECT_THAT(Verify(c).message(), HasSubstr("vote of replica 2"));
}

TEST_F(CommitCertificateTest, PrepareVotesAreNotCommitVotes) {
  v1::CommitCertificate c;
  for (uint32_t r : {0u, 1u, 2u}) {
    AddVote(&c, r, SignVote(net_->node(r).key, 0, proposal_.height(), VoteType::kPrepare));
  }
  const Status s = Verify(c);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("vote of replica 0"));
}

TEST_F(CommitCertificateTest, CertificateDoesNotCoverAnotherProposal) {
  const v1::CommitCertificate c = Cert(0, {0, 1, 2});
  proposal_.set_events_root(crypto::Sha256("substituted events"));
  EXPECT_EQ(Verify(c).code(), Code::kInvalidArgument);
}

TEST(CommitCertificate, SingleReplicaNetworkNeedsOneVote) {
  auto net = testing::TestNetwork::Create();
  ASSERT_EQ(net->genesis()->quorum(), 1u);
  v1::Proposal p = SampleProposal();
  p.set_chain_id(net->genesis()->chain_id);
  v1::CommitCertificate c;
  auto* v = c.add_votes();
  v->set_replica(0);
  auto sig = net->node(0).key.Sign(
      VoteMessage(p.chain_id(), VoteType::kCommit, 0, p.height(), ProposalDigest(p)));
  ASSERT_TRUE(sig.ok());
  v->set_signature(*sig);
  EXPECT_TRUE(VerifyCommitCertificate(*net->genesis(), p, c).ok());
}

// --- events root, receipts and results ----------------------------------------------------

TEST(EventsRoot, AdmittedAndWireFormsAgree) {
  google::protobuf::RepeatedPtrField<v1::SignedEvent> wire;
  std::vector<EventPtr> admitted;
  for (int i = 0; i < 3; ++i) {
    v1::SignedEvent se;
    se.set_event("event " + std::to_string(i));
    se.set_signature("sig " + std::to_string(i));
    *wire.Add() = se;
    auto a = std::make_shared<AdmittedEvent>();
    a->signed_event = se;
    a->leaf_hash = EventLeafHash(se);
    admitted.push_back(a);
  }
  EXPECT_EQ(EventsRoot(admitted), EventsRoot(wire));
  EXPECT_EQ(EventsRoot(wire), crypto::MerkleRoot({EventLeafHash(wire[0]), EventLeafHash(wire[1]),
                                                  EventLeafHash(wire[2])}));
  wire.SwapElements(0, 1);
  EXPECT_NE(EventsRoot(admitted), EventsRoot(wire));
}

v1::Receipt SampleReceipt() {
  v1::Receipt r;
  r.set_event_id(crypto::Sha256("event"));
  r.set_height(3);
  r.set_index(1);
  r.set_code(v1::RESULT_CODE_REJECTED);
  r.set_reason("shipment not booked");
  return r;
}

v1::Receipt SampleReceiptWithOutputs() {
  v1::Receipt r = SampleReceipt();
  r.set_code(v1::RESULT_CODE_VALID);
  r.set_reason("");
  v1::ContractOutput* o = r.add_outputs();
  o->set_kind(v1::ContractOutput::KIND_LEG_ASSIGNED);
  o->set_shipment_id("SHP-1");
  o->set_leg(2);
  o->set_carrier("ocean");
  o->set_offer_id("offer-7");
  o->set_price_minor(125000);
  v1::ContractOutput* e = r.add_outputs();
  e->set_kind(v1::ContractOutput::KIND_EXCURSION);
  e->set_shipment_id("SHP-1");
  e->set_leg(1);
  e->set_reverse(true);
  e->set_reason("above 8 C");
  e->set_out_of_range_ms(-5);
  e->set_event_id(crypto::Sha256("reading"));
  return r;
}

TEST(ReceiptLeafHash, ChangesWithEachField) {
  const Bytes base = ReceiptLeafHash(SampleReceipt(), 2);
  std::set<Bytes> seen = {base};
  auto expect_new = [&](const v1::Receipt& r, const char* what) {
    const Bytes h = ReceiptLeafHash(r, 2);
    EXPECT_NE(h, base) << what;
    EXPECT_TRUE(seen.insert(h).second) << what << " collides";
  };
  v1::Receipt r = SampleReceipt();
  r.set_event_id(crypto::Sha256("other event"));
  expect_new(r, "event_id");
  r = SampleReceipt();
  r.set_height(4);
  expect_new(r, "height");
  r = SampleReceipt();
  r.set_index(2);
  expect_new(r, "index");
  r = SampleReceipt();
  r.set_code(v1::RESULT_CODE_VALID);
  expect_new(r, "code");
  r = SampleReceipt();
  r.set_reason("shipment not booked!");
  expect_new(r, "reason");
}

// Rules v1 and v2 keep their leaf: the outputs are not in it (chains recorded under them replay
// byte for byte). From v3 every field of the receipt and of each output is (DESIGN §5).
TEST(ReceiptLeafHash, RulesV3CoverEveryOutputField) {
  const v1::Receipt base = SampleReceiptWithOutputs();
  v1::Receipt bare = base;
  bare.clear_outputs();
  EXPECT_EQ(ReceiptLeafHash(base, 1), ReceiptLeafHash(bare, 1));
  EXPECT_EQ(ReceiptLeafHash(base, 2), ReceiptLeafHash(bare, 2));
  EXPECT_NE(ReceiptLeafHash(base, 3), ReceiptLeafHash(bare, 3));
  EXPECT_NE(ReceiptLeafHash(bare, 3), ReceiptLeafHash(bare, 2));  // another domain

  std::set<Bytes> seen = {ReceiptLeafHash(base, 3), ReceiptLeafHash(bare, 3)};
  const std::vector<std::pair<const char*, std::function<void(v1::Receipt*)>>> changes = {
      {"code", [](v1::Receipt* r) { r->set_code(v1::RESULT_CODE_REJECTED); }},
      {"reason", [](v1::Receipt* r) { r->set_reason("x"); }},
      {"kind",
       [](v1::Receipt* r) {
         r->mutable_outputs(0)->set_kind(v1::ContractOutput::KIND_RETURN_APPROVED);
       }},
      {"shipment_id", [](v1::Receipt* r) { r->mutable_outputs(0)->set_shipment_id("SHP-2"); }},
      {"leg", [](v1::Receipt* r) { r->mutable_outputs(0)->set_leg(3); }},
      {"reverse", [](v1::Receipt* r) { r->mutable_outputs(0)->set_reverse(true); }},
      {"carrier", [](v1::Receipt* r) { r->mutable_outputs(0)->set_carrier("air"); }},
      {"offer_id", [](v1::Receipt* r) { r->mutable_outputs(0)->set_offer_id("offer-8"); }},
      {"price_minor", [](v1::Receipt* r) { r->mutable_outputs(0)->set_price_minor(125001); }},
      {"output reason", [](v1::Receipt* r) { r->mutable_outputs(1)->set_reason("above 9 C"); }},
      {"out_of_range_ms", [](v1::Receipt* r) { r->mutable_outputs(1)->set_out_of_range_ms(-6); }},
      {"output event_id",
       [](v1::Receipt* r) { r->mutable_outputs(1)->set_event_id(crypto::Sha256("other")); }},
      {"order", [](v1::Receipt* r) { r->mutable_outputs()->SwapElements(0, 1); }},
      {"one more", [](v1::Receipt* r) { r->add_outputs(); }},
      {"one fewer", [](v1::Receipt* r) { r->mutable_outputs()->RemoveLast(); }},
  };
  for (const auto& [what, change] : changes) {
    v1::Receipt r = base;
    change(&r);
    EXPECT_TRUE(seen.insert(ReceiptLeafHash(r, 3)).second) << what;
    EXPECT_EQ(std::string(what) == "code" || std::string(what) == "reason",
              ReceiptLeafHash(r, 2) != ReceiptLeafHash(base, 2))
        << what;
  }
}

TEST(ReceiptLeafHash, V3IsMerkleLeafOfDocumentedEncoding) {
  const v1::Receipt r = SampleReceiptWithOutputs();
  Bytes enc = "shipledger/receipt/v3";
  PutLengthPrefixed(&enc, r.event_id());
  PutU64BE(&enc, 3);
  PutU32BE(&enc, 1);
  PutU32BE(&enc, static_cast<uint32_t>(v1::RESULT_CODE_VALID));
  PutLengthPrefixed(&enc, "");
  PutU32BE(&enc, 2);
  PutU32BE(&enc, 1);  // KIND_LEG_ASSIGNED
  PutLengthPrefixed(&enc, "SHP-1");
  PutU32BE(&enc, 2);
  enc.push_back('\0');
  PutLengthPrefixed(&enc, "ocean");
  PutLengthPrefixed(&enc, "offer-7");
  PutU64BE(&enc, 125000);
  PutLengthPrefixed(&enc, "");
  PutU64BE(&enc, 0);
  PutLengthPrefixed(&enc, "");
  PutU32BE(&enc, 5);  // KIND_EXCURSION
  PutLengthPrefixed(&enc, "SHP-1");
  PutU32BE(&enc, 1);
  enc.push_back('\1');
  PutLengthPrefixed(&enc, "");
  PutLengthPrefixed(&enc, "");
  PutU64BE(&enc, 0);
  PutLengthPrefixed(&enc, "above 8 C");
  PutU64BE(&enc, 0xFFFFFFFFFFFFFFFBull);  // -5, two's complement
  PutLengthPrefixed(&enc, crypto::Sha256("reading"));
  EXPECT_EQ(ReceiptLeafHash(r, 3), crypto::MerkleLeafHash(enc));
}

TEST(ReceiptLeafHash, IsMerkleLeafOfDocumentedEncoding) {
  const v1::Receipt r = SampleReceipt();
  Bytes enc = "shipledger/receipt/v1";
  PutLengthPrefixed(&enc, r.event_id());
  PutU64BE(&enc, 3);
  PutU32BE(&enc, 1);
  PutU32BE(&enc, static_cast<uint32_t>(v1::RESULT_CODE_REJECTED));
  PutLengthPrefixed(&enc, "shipment not booked");
  EXPECT_EQ(ReceiptLeafHash(r, 1), crypto::MerkleLeafHash(enc));
  EXPECT_EQ(ReceiptLeafHash(r, 2), crypto::MerkleLeafHash(enc));
}

TEST(ReceiptsRoot, ChangesWhenAnyReceiptChanges) {
  std::vector<v1::Receipt> receipts;
  for (uint32_t i = 0; i < 3; ++i) {
    v1::Receipt r = SampleReceipt();
    r.set_index(i);
    r.set_code(v1::RESULT_CODE_VALID);
    r.set_reason("");
    receipts.push_back(r);
  }
  const Bytes base = ReceiptsRoot(receipts, 3);
  EXPECT_EQ(base, ReceiptsRoot(receipts, 3));
  EXPECT_EQ(base,
            crypto::MerkleRoot({ReceiptLeafHash(receipts[0], 3), ReceiptLeafHash(receipts[1], 3),
                                ReceiptLeafHash(receipts[2], 3)}));
  for (size_t i = 0; i < receipts.size(); ++i) {
    auto changed = receipts;
    changed[i].set_code(v1::RESULT_CODE_REJECTED);
    EXPECT_NE(ReceiptsRoot(changed, 3), base) << "receipt " << i;
  }
  auto fewer = receipts;
  fewer.pop_back();
  EXPECT_NE(ReceiptsRoot(fewer, 3), base);
  auto more = receipts;
  more.push_back(receipts.back());
  EXPECT_NE(ReceiptsRoot(more, 3), base);
  auto swapped = receipts;
  std::swap(swapped[0], swapped[2]);
  EXPECT_NE(ReceiptsRoot(swapped, 3), base);
}

TEST(ResultsDigest, IsHashOfTheThreeInputs) {
  const Bytes prev(32, '\0');
  const Bytes root = crypto::Sha256("root");
  const Bytes writes = crypto::Sha256("writes");
  EXPECT_EQ(ResultsDigest(prev, root, writes), crypto::Sha256(prev + root + writes));
}

TEST(ResultsDigest, ChangesWhenAnyInputChanges) {
  const Bytes prev(32, '\0');
  const Bytes root = crypto::Sha256("root");
  const Bytes writes = crypto::Sha256("writes");
  const Bytes other = crypto::Sha256("other");
  const Bytes base = ResultsDigest(prev, root, writes);
  EXPECT_NE(ResultsDigest(other, root, writes), base);
  EXPECT_NE(ResultsDigest(prev, other, writes), base);
  EXPECT_NE(ResultsDigest(prev, root, other), base);
  EXPECT_NE(ResultsDigest(prev, writes, root), base);  // roles are not interchangeable
}

TEST(ResultsDigest, ChainsEarlierResults) {
  const Bytes zero(32, '\0');
  const Bytes w = crypto::Sha256("writes");
  const Bytes r1 = crypto::Sha256("receipts 1");
  const Bytes r1_changed = crypto::Sha256("receipts 1'");
  const Bytes r2 = crypto::Sha256("receipts 2");
  const Bytes results2 = ResultsDigest(ResultsDigest(zero, r1, w), r2, w);
  const Bytes results2_changed = ResultsDigest(ResultsDigest(zero, r1_changed, w), r2, w);
  EXPECT_NE(results2, results2_changed);
}

}  // namespace
}  // namespace shipledger::model
