#include "model/votes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "crypto/sha256.h"
#include "testing/test_network.h"

namespace shipledger::model {
namespace {

using ::testing::HasSubstr;

class VotesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    net_ = testing::TestNetwork::Create(testing::TestNetwork::DefaultOrgs(), 4).release();
  }
  static void TearDownTestSuite() {
    delete net_;
    net_ = nullptr;
  }

  const Genesis& genesis() const { return *net_->genesis(); }
  const std::string& chain() const { return genesis().chain_id; }

  Bytes SignAs(uint32_t replica, const Bytes& message) const {
    auto sig = net_->node(replica).key.Sign(message);
    EXPECT_TRUE(sig.ok()) << sig.status().ToString();
    return sig.ok() ? *sig : Bytes();
  }

  // A certificate at height 9 signed by `replicas`.
  v1::CheckpointCertificate Certificate(const std::vector<uint32_t>& replicas) const {
    v1::CheckpointCertificate c;
    c.set_height(9);
    c.set_block_hash(crypto::Sha256("block 9"));
    c.set_results(crypto::Sha256("results 9"));
    const Bytes m = CheckpointMessage(chain(), 9, c.block_hash(), c.results());
    for (uint32_t r : replicas) {
      auto* v = c.add_votes();
      v->set_replica(r);
      v->set_signature(SignAs(r, m));
    }
    return c;
  }

  static v1::Proposal Proposal(uint64_t height, const std::string& tag) {
    v1::Proposal p;
    p.set_chain_id("test-chain");
    p.set_height(height);
    p.set_events_root(crypto::Sha256(tag));
    p.set_proposer(1);
    p.set_timestamp_ms(1795000000000 + static_cast<int64_t>(height));
    p.set_event_count(2);
    return p;
  }

  // A view change to view 3 with a stable checkpoint and two prepared certificates, events
  // and prepares included.
  static v1::ViewChange SampleViewChange() {
    v1::ViewChange vc;
    vc.set_new_view(3);
    vc.set_replica(2);
    vc.mutable_stable()->set_height(8);
    vc.mutable_stable()->set_block_hash(crypto::Sha256("block 8"));
    vc.mutable_stable()->set_results(crypto::Sha256("results 8"));
    for (uint64_t h : {9, 10}) {
      auto* p = vc.add_prepared();
      p->set_view(2);
      *p->mutable_proposal() = Proposal(h, "events " + std::to_string(h));
      auto* vote = p->add_prepares();
      vote->set_replica(1);
      vote->set_signature("sig");
      p->add_events()->set_event("event bytes");
    }
    return vc;
  }

  static testing::TestNetwork* net_;
};

testing::TestNetwork* VotesTest::net_ = nullptr;

// --- CheckpointMessage -----------------------------------------------------------------------

TEST_F(VotesTest, CheckpointSignatureVerifiesUnderThePinnedKey) {
  const Bytes m = CheckpointMessage(chain(), 9, crypto::Sha256("b"), crypto::Sha256("r"));
  EXPECT_TRUE(VerifyReplicaSignature(genesis(), 1, m, SignAs(1, m)).ok());
}

TEST_F(VotesTest, TamperingAnyCheckpointFieldBreaksTheSignature) {
  const Bytes hash = crypto::Sha256("b");
  const Bytes results = crypto::Sha256("r");
  const Bytes sig = SignAs(1, CheckpointMessage(chain(), 9, hash, results));
  const std::vector<Bytes> tampered = {
      CheckpointMessage("other-chain", 9, hash, results),
      CheckpointMessage(chain(), 10, hash, results),
      CheckpointMessage(chain(), 9, crypto::Sha256("b2"), results),
      CheckpointMessage(chain(), 9, hash, crypto::Sha256("r2")),
      // Swapping the two hashes must not verify either (length-prefixed, ordered fields).
      CheckpointMessage(chain(), 9, results, hash),
  };
  for (size_t i = 0; i < tampered.size(); ++i) {
    Status s = VerifyReplicaSignature(genesis(), 1, tampered[i], sig);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << "case " << i;
    EXPECT_THAT(s.message(), HasSubstr("replica 1")) << "case " << i;
  }
}

TEST_F(VotesTest, CheckpointIsNotAVote) {
  // A checkpoint signature cannot be replayed as a COMMIT of the same height.
  const Bytes hash = crypto::Sha256("b");
  const Bytes results = crypto::Sha256("r");
  const Bytes sig = SignAs(1, CheckpointMessage(chain(), 9, hash, results));
  EXPECT_FALSE(
      VerifyReplicaSignature(genesis(), 1, VoteMessage(chain(), VoteType::kCommit, 0, 9, hash), sig)
          .ok());
}

// --- VerifyReplicaSignature ------------------------------------------------------------------

TEST_F(VotesTest, SignatureOfAnotherReplicaIsRejected) {
  const Bytes m = CheckpointMessage(chain(), 9, crypto::Sha256("b"), crypto::Sha256("r"));
  Status s = VerifyReplicaSignature(genesis(), 0, m, SignAs(1, m));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("replica 0"));
}

TEST_F(VotesTest, UnknownReplicaIsRejected) {
  const Bytes m = CheckpointMessage(chain(), 9, crypto::Sha256("b"), crypto::Sha256("r"));
  Status s = VerifyReplicaSignature(genesis(), 4, m, SignAs(1, m));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("unknown replica 4"));
}

// --- ViewChangeMessage -----------------------------------------------------------------------

TEST_F(VotesTest, StrippingEventsAndPreparesDoesNotChangeTheViewChangeMessage) {
  const v1::ViewChange vc = SampleViewChange();
  v1::ViewChange stripped = vc;
  for (auto& p : *stripped.mutable_prepared()) {
    p.clear_events();
    p.clear_prepares();
  }
  stripped.mutable_stable()->add_votes()->set_replica(3);  // the stable votes are not covered
  stripped.set_signature("whatever");
  EXPECT_EQ(ViewChangeMessage(chain(), vc), ViewChangeMessage(chain(), stripped));
}

TEST_F(VotesTest, TamperingAnyCoveredViewChangeFieldBreaksTheSignature) {
  const v1::ViewChange vc = SampleViewChange();
  const Bytes sig = SignAs(2, ViewChangeMessage(chain(), vc));
  ASSERT_TRUE(VerifyReplicaSignature(genesis(), 2, ViewChangeMessage(chain(), vc), sig).ok());

  const std::vector<std::pair<std::string, std::function<void(v1::ViewChange&)>>> edits = {
      {"new_view", [](v1::ViewChange& v) { v.set_new_view(4); }},
      {"stable height", [](v1::ViewChange& v) { v.mutable_stable()->set_height(7); }},
      {"stable hash",
       [](v1::ViewChange& v) { v.mutable_stable()->set_block_hash(crypto::Sha256("x")); }},
      {"stable results",
       [](v1::ViewChange& v) { v.mutable_stable()->set_results(crypto::Sha256("x")); }},
      {"prepared view", [](v1::ViewChange& v) { v.mutable_prepared(0)->set_view(1); }},
      {"prepared height",
       [](v1::ViewChange& v) { v.mutable_prepared(1)->mutable_proposal()->set_height(11); }},
      {"prepared events root",
       [](v1::ViewChange& v) {
         v.mutable_prepared(0)->mutable_proposal()->set_events_root(crypto::Sha256("x"));
       }},
      {"prepared proposer",
       [](v1::ViewChange& v) { v.mutable_prepared(0)->mutable_proposal()->set_proposer(3); }},
      {"prepared timestamp",
       [](v1::ViewChange& v) { v.mutable_prepared(0)->mutable_proposal()->set_timestamp_ms(5); }},
      {"prepared event count",
       [](v1::ViewChange& v) { v.mutable_prepared(0)->mutable_proposal()->set_event_count(3); }},
      {"prepared certificate dropped",
       [](v1::ViewChange& v) { v.mutable_prepared()->RemoveLast(); }},
      {"prepared certificate added", [](v1::ViewChange& v) { *v.add_prepared() = v.prepared(0); }},
  };
  for (const auto& [name, edit] : edits) {
    v1::ViewChange t = vc;
    edit(t);
    EXPECT_FALSE(VerifyReplicaSignature(genesis(), 2, ViewChangeMessage(chain(), t), sig).ok())
        << name;
  }
  EXPECT_FALSE(
      VerifyReplicaSignature(genesis(), 2, ViewChangeMessage("other-chain", vc), sig).ok());
}

// --- VerifyCheckpointCertificate -------------------------------------------------------------

TEST_F(VotesTest, CertificateWithAQuorumVerifies) {
  EXPECT_TRUE(VerifyCheckpointCertificate(genesis(), Certificate({0, 1, 2})).ok());
  EXPECT_TRUE(VerifyCheckpointCertificate(genesis(), Certificate({3, 1, 0, 2})).ok());
}

TEST_F(VotesTest, CertificateBelowQuorumIsRejected) {
  Status s = VerifyCheckpointCertificate(genesis(), Certificate({0, 1}));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("has 2 votes; the quorum is 3"));
}

TEST_F(VotesTest, CertificateWithADuplicateVoteIsRejected) {
  Status s = VerifyCheckpointCertificate(genesis(), Certificate({0, 1, 1}));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("two votes by replica 1"));
}

TEST_F(VotesTest, CertificateWithAnUnknownReplicaIsRejected) {
  v1::CheckpointCertificate c = Certificate({0, 1, 2});
  c.mutable_votes(2)->set_replica(7);
  Status s = VerifyCheckpointCertificate(genesis(), c);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("unknown replica 7"));
}

TEST_F(VotesTest, CertificateWithATamperedFieldIsRejected) {
  for (int field = 0; field < 3; ++field) {
    v1::CheckpointCertificate c = Certificate({0, 1, 2});
    if (field == 0) c.set_height(10);
    if (field == 1) c.set_block_hash(crypto::Sha256("other"));
    if (field == 2) c.set_results(crypto::Sha256("other"));
    EXPECT_EQ(VerifyCheckpointCertificate(genesis(), c).code(), Code::kInvalidArgument)
        << "field " << field;
  }
}

TEST_F(VotesTest, CertificateWithAVoteSignedByAnotherReplicaIsRejected) {
  v1::CheckpointCertificate c = Certificate({0, 1, 2});
  c.mutable_votes(1)->set_signature(c.votes(0).signature());  // replica 0's under replica 1
  Status s = VerifyCheckpointCertificate(genesis(), c);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("replica 1"));
}

TEST_F(VotesTest, GenesisCertificateNeedsNoVotes) {
  v1::CheckpointCertificate c;
  c.set_height(0);
  c.set_block_hash(genesis().hash);
  c.set_results(Bytes(32, '\0'));
  EXPECT_TRUE(VerifyCheckpointCertificate(genesis(), c).ok());
}

TEST_F(VotesTest, HeightZeroCertificateMustBeTheGenesis) {
  v1::CheckpointCertificate good;
  good.set_height(0);
  good.set_block_hash(genesis().hash);
  good.set_results(Bytes(32, '\0'));

  v1::CheckpointCertificate wrong_hash = good;
  wrong_hash.set_block_hash(crypto::Sha256("not the genesis"));
  v1::CheckpointCertificate wrong_results = good;
  wrong_results.set_results(crypto::Sha256("results"));
  v1::CheckpointCertificate with_votes = good;
  with_votes.add_votes()->set_replica(0);
  v1::CheckpointCertificate empty;  // an absent certificate is not the genesis either
  for (const auto* c : {&wrong_hash, &wrong_results, &with_votes, &empty}) {
    Status s = VerifyCheckpointCertificate(genesis(), *c);
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
    EXPECT_THAT(s.message(), HasSubstr("not the genesis"));
  }
}

}  // namespace
}  // namespace shipledger::model
