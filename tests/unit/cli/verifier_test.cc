#include "cli/verifier.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <vector>

#include "model/block.h"
#include "model/event.h"
#include "test_chain.h"
#include "testing/test_network.h"

namespace shipledger::cli {
namespace {

using testing::TestNetwork;

// A chain held in memory; tests tamper with its blocks after building them.
class MemoryBlockSource final : public BlockSource {
 public:
  std::string Describe() const override { return "memory"; }
  Result<SourceHead> Head() override {
    if (!head_error.ok()) return head_error;
    SourceHead head;
    head.height = blocks.size();
    head.block_hash = blocks.empty() ? genesis_hash : blocks.back().block_hash();
    if (!head_hash_override.empty()) head.block_hash = head_hash_override;
    head.genesis_hash = reported_genesis_hash;
    return head;
  }
  Result<v1::Block> GetBlock(uint64_t height) override {
    if (auto it = errors.find(height); it != errors.end()) return it->second;
    if (height == 0 || height > blocks.size()) return Status::NotFound("no block");
    return blocks[height - 1];
  }

  Bytes genesis_hash;
  Bytes reported_genesis_hash;
  Bytes head_hash_override;
  Status head_error;
  std::vector<v1::Block> blocks;
  std::map<uint64_t, Status> errors;
};

class ChainVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = TestNetwork::Create();
    chain_ = std::make_unique<test::TestChain>(*net_);
    source_.genesis_hash = net_->genesis()->hash;
  }

  void Append(const std::vector<v1::SignedEvent>& events) {
    source_.blocks.push_back(chain_->Append(events));
  }

  // Three blocks: a booking; a pickup and a co-signed handover; an empty block.
  void BuildChain() {
    Append({net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "SHP-1")});
    Append({net_->SignedBy("exporter", v1::EVENT_TYPE_PICKUP, "SHP-1"),
            net_->SignedBy("exporter", v1::EVENT_TYPE_HANDOVER, "SHP-1", {"forwarder"})});
    Append({});
  }

  void Reseal(uint64_t height) { chain_->Reseal(&source_.blocks[height - 1]); }
  int64_t BlockTime(uint64_t height) const { return chain_->BlockTime(height); }

  VerifyReport Verify() {
    ChainVerifier verifier(net_->genesis());
    auto report = verifier.Verify(source_);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : VerifyReport{};
  }

  std::unique_ptr<TestNetwork> net_;
  std::unique_ptr<test::TestChain> chain_;
  MemoryBlockSource source_;
};

TEST_F(ChainVerifierTest, ValidChainPasses) {
  BuildChain();
  std::vector<uint64_t> progress;
  ChainVerifier verifier(net_->genesis());
  auto report = verifier.Verify(source_, [&](uint64_t h, uint64_t head) {
    progress.push_back(h);
    EXPECT_EQ(head, 3u);
  });
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->blocks, 3u);
  EXPECT_EQ(report->events, 3u);
  EXPECT_EQ(report->head_hash, source_.blocks.back().block_hash());
  EXPECT_EQ(progress, (std::vector<uint64_t>{1, 2, 3}));
}

TEST_F(ChainVerifierTest, ChainWithOnlyTheGenesisPasses) {
  VerifyReport report = Verify();
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.blocks, 0u);
  EXPECT_EQ(report.head_hash, net_->genesis()->hash);
}

TEST_F(ChainVerifierTest, TamperedEventByteFailsAtItsHeight) {
  BuildChain();
  std::string* bytes = source_.blocks[1].mutable_events(1)->mutable_event();
  (*bytes)[bytes->size() / 2] ^= 0x01;
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 2u);
  EXPECT_NE(report.problem.find("event 1"), std::string::npos) << report.problem;
}

TEST_F(ChainVerifierTest, TamperedSignatureFailsAtItsHeight) {
  BuildChain();
  std::string* sig = source_.blocks[0].mutable_events(0)->mutable_signature();
  (*sig)[sig->size() - 1] ^= 0x01;
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 1u);
  EXPECT_NE(report.problem.find("signature"), std::string::npos) << report.problem;
}

TEST_F(ChainVerifierTest, StrippedCosignatureFails) {
  BuildChain();
  source_.blocks[1].mutable_events(1)->clear_cosignatures();
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 2u);
  EXPECT_NE(report.problem.find("co-signature"), std::string::npos) << report.problem;
}

TEST_F(ChainVerifierTest, BrokenPrevLinkFailsAtThatHeight) {
  BuildChain();
  source_.blocks[2].set_prev_block_hash(Bytes(32, '\x07'));
  Reseal(3);
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 3u);
  EXPECT_NE(report.problem.find("does not link to block 2"), std::string::npos) << report.problem;
}

TEST_F(ChainVerifierTest, WrongEventsRootFailsAtThatHeight) {
  BuildChain();
  source_.blocks[1].mutable_proposal()->set_events_root(Bytes(32, '\x01'));
  Reseal(2);
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 2u);
  EXPECT_NE(report.problem.find("events root"), std::string::npos) << report.problem;
}

TEST_F(ChainVerifierTest, ForgedCertificateVoteFailsAtThatHeight) {
  BuildChain();
  // Signed by a client key that is not replica 0's pinned node key.
  const v1::Block& b = source_.blocks[1];
  *source_.blocks[1].mutable_certificate() =
      test::TestChain::Certify(b.proposal(), net_->org("exporter").client.key);
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 2u);
  EXPECT_NE(report.problem.find("commit certificate"), std::string::npos) << report.problem;
}

TEST_F(ChainVerifierTest, CertificateWithoutQuorumFails) {
  BuildChain();
  source_.blocks[2].mutable_certificate()->clear_votes();
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 3u);
}

TEST_F(ChainVerifierTest, WrongBlockHashFails) {
  BuildChain();
  source_.blocks[0].set_block_hash(Bytes(32, '\x02'));
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 1u);
  EXPECT_NE(report.problem.find("block hash"), std::string::npos) << report.problem;
}

TEST_F(ChainVerifierTest, EventCountMismatchFails) {
  BuildChain();
  source_.blocks[1].mutable_proposal()->set_event_count(5);
  Reseal(2);
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 2u);
}

TEST_F(ChainVerifierTest, WrongChainIdInProposalFails) {
  BuildChain();
  source_.blocks[0].mutable_proposal()->set_chain_id("other-chain");
  Reseal(1);
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 1u);
  EXPECT_NE(report.problem.find("other-chain"), std::string::npos) << report.problem;
}

TEST_F(ChainVerifierTest, DecreasingBlockTimeFailsAtItsHeight) {
  BuildChain();
  source_.blocks[2].mutable_proposal()->set_timestamp_ms(BlockTime(2) - 1);
  Reseal(3);
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 3u);
  EXPECT_NE(report.problem.find("before the previous block"), std::string::npos) << report.problem;
}

// Issue 18: PBFT gives several blocks one time under load (batch_max_events: 2) and after a
// NEW-VIEW with empty proposals; verify called such honest chains BROKEN.
TEST_F(ChainVerifierTest, EqualBlockTimesAreAnHonestChain) {
  BuildChain();
  source_.blocks[1].mutable_proposal()->set_timestamp_ms(BlockTime(1));
  Reseal(2);
  source_.blocks[2].set_prev_block_hash(source_.blocks[1].block_hash());
  source_.blocks[2].mutable_proposal()->set_timestamp_ms(BlockTime(1));
  Reseal(3);
  VerifyReport report = Verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.blocks, 3u);
}

TEST_F(ChainVerifierTest, DuplicateEventInOneBlockFails) {
  const v1::SignedEvent e = net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "SHP-1");
  Append({e, e});
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 1u);
  EXPECT_NE(report.problem.find("twice"), std::string::npos) << report.problem;
}

TEST_F(ChainVerifierTest, HeadHashThatDiffersFromTheLastBlockFails) {
  BuildChain();
  source_.head_hash_override = Bytes(32, '\x09');
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 3u);
  EXPECT_NE(report.problem.find("head hash"), std::string::npos) << report.problem;
}

TEST_F(ChainVerifierTest, MissingBlockFailsAtItsHeight) {
  BuildChain();
  source_.errors[2] = Status::NotFound("no block 2");
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 2u);
}

TEST_F(ChainVerifierTest, UnreadableSourceIsAnErrorNotABrokenChain) {
  BuildChain();
  source_.errors[2] = Status::Unavailable("cannot reach node");
  ChainVerifier verifier(net_->genesis());
  auto report = verifier.Verify(source_);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Code::kUnavailable);
}

TEST_F(ChainVerifierTest, SourceOfAnotherGenesisIsRefused) {
  BuildChain();
  source_.reported_genesis_hash = Bytes(32, '\x05');
  ChainVerifier verifier(net_->genesis());
  auto report = verifier.Verify(source_);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Code::kFailedPrecondition);
}

TEST_F(ChainVerifierTest, FirstBadHeightIsNamedWhenSeveralAreBad) {
  BuildChain();
  source_.blocks[2].set_prev_block_hash(Bytes(32, '\x07'));
  std::string* bytes = source_.blocks[1].mutable_events(0)->mutable_event();
  (*bytes)[0] ^= 0x01;
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 2u);
}

}  // namespace
}  // namespace shipledger::cli
