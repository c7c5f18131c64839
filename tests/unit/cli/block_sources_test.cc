#include "cli/block_sources.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "cli/verifier.h"
#include "model/block.h"
#include "model/validation.h"
#include "model/votes.h"
#include "storage/store.h"
#include "test_chain.h"
#include "testing/test_network.h"

namespace shipledger::cli {
namespace {

using testing::TestNetwork;

class StoreBlockSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = TestNetwork::Create();
    chain_ = std::make_unique<test::TestChain>(*net_);
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("cli_store_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Commits the test chain's blocks to a store in dir_, as a node would.
  void CommitAll() {
    auto store = storage::Store::Open(dir_.string(), *net_->genesis());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    model::EventValidator validator(net_->genesis());
    for (const v1::Block& block : chain_->blocks()) {
      std::vector<model::EventPtr> events;
      model::BlockEffects effects;
      for (int i = 0; i < block.events_size(); ++i) {
        model::ValidateOptions options;
        options.cert_time_ms = block.proposal().timestamp_ms();
        auto e = validator.Validate(block.events(i), options);
        ASSERT_TRUE(e.ok()) << e.status().ToString();
        events.push_back(*e);
        v1::Receipt r;
        r.set_event_id((*e)->id);
        r.set_height(block.proposal().height());
        r.set_index(static_cast<uint32_t>(i));
        r.set_code(v1::RESULT_CODE_VALID);
        effects.receipts.push_back(r);
      }
      effects.receipts_root = model::ReceiptsRoot(
          effects.receipts, net_->genesis()->ContractRulesAt(block.proposal().height()));
      effects.state_writes_digest = Bytes(32, '\0');
      Status s = (*store)->CommitBlock(block, events, effects, kResults);
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
  }

  // A checkpoint certificate over block `height` of the test chain and the results CommitAll
  // records, signed by replica 0 (the test network's quorum is 1).
  v1::CheckpointCertificate Checkpoint(uint64_t height) const {
    v1::CheckpointCertificate certificate;
    certificate.set_height(height);
    certificate.set_block_hash(chain_->blocks()[height - 1].block_hash());
    certificate.set_results(kResults);
    Sign(&certificate);
    return certificate;
  }
  void Sign(v1::CheckpointCertificate* certificate) const {
    certificate->clear_votes();
    v1::CommitVote* vote = certificate->add_votes();
    vote->set_replica(0);
    auto signature = net_->node(0).key.Sign(
        model::CheckpointMessage(net_->genesis()->chain_id, certificate->height(),
                                 certificate->block_hash(), certificate->results()));
    ASSERT_TRUE(signature.ok()) << signature.status().ToString();
    vote->set_signature(*signature);
  }
  // Stores `certificate` in the (closed) store in dir_, as a node does when it becomes stable.
  void StoreCheckpoint(const v1::CheckpointCertificate& certificate) {
    auto store = storage::Store::Open(dir_.string(), *net_->genesis());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    const Status s = (*store)->PutCheckpoint(certificate);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  // Three blocks committed to dir_.
  void CommitThreeBlocks() {
    chain_->Append({net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "SHP-1")});
    chain_->Append({net_->SignedBy("exporter", v1::EVENT_TYPE_PICKUP, "SHP-1")});
    chain_->Append({});
    CommitAll();
  }
  VerifyReport VerifyDataDir() {
    auto source = StoreBlockSource::Open(dir_.string(), *net_->genesis());
    EXPECT_TRUE(source.ok()) << source.status().ToString();
    if (!source.ok()) return VerifyReport{};
    ChainVerifier verifier(net_->genesis());
    auto report = verifier.Verify(**source);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : VerifyReport{};
  }

  const Bytes kResults = Bytes(32, '\x01');  // the results digest CommitAll records
  std::unique_ptr<TestNetwork> net_;
  std::unique_ptr<test::TestChain> chain_;
  std::filesystem::path dir_;
};

TEST_F(StoreBlockSourceTest, CommittedChainVerifiesOffline) {
  chain_->Append({net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "SHP-1")});
  chain_->Append({net_->SignedBy("exporter", v1::EVENT_TYPE_PICKUP, "SHP-1"),
                  net_->SignedBy("exporter", v1::EVENT_TYPE_HANDOVER, "SHP-1", {"forwarder"})});
  CommitAll();
  auto source = StoreBlockSource::Open(dir_.string(), *net_->genesis());
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  auto head = (*source)->Head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->height, 2u);
  auto block = (*source)->GetBlock(2);
  ASSERT_TRUE(block.ok()) << block.status().ToString();
  EXPECT_EQ(block->events_size(), 2);

  ChainVerifier verifier(net_->genesis());
  auto report = verifier.Verify(**source);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->blocks, 2u);
  EXPECT_EQ(report->events, 3u);
}

TEST_F(StoreBlockSourceTest, StoredCheckpointVerifies) {
  CommitThreeBlocks();
  StoreCheckpoint(Checkpoint(2));
  const VerifyReport report = VerifyDataDir();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.checkpoints, 1u);
  EXPECT_EQ(report.checkpoints_above_head, 0u);
}

TEST_F(StoreBlockSourceTest, CheckpointOfAnotherBlockHashFailsAtItsHeight) {
  CommitThreeBlocks();
  v1::CheckpointCertificate certificate = Checkpoint(2);
  certificate.set_block_hash(chain_->blocks()[0].block_hash());  // signed, but not block 2's
  Sign(&certificate);
  StoreCheckpoint(certificate);
  const VerifyReport report = VerifyDataDir();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 2u);
  EXPECT_NE(report.problem.find("block hash"), std::string::npos) << report.problem;
}

TEST_F(StoreBlockSourceTest, CheckpointOfOtherResultsFailsAtItsHeight) {
  CommitThreeBlocks();
  v1::CheckpointCertificate certificate = Checkpoint(3);
  certificate.set_results(Bytes(32, '\x02'));
  Sign(&certificate);
  StoreCheckpoint(certificate);
  const VerifyReport report = VerifyDataDir();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 3u);
  EXPECT_NE(report.problem.find("results"), std::string::npos) << report.problem;
}

TEST_F(StoreBlockSourceTest, TamperedCheckpointSignatureFailsAtItsHeight) {
  CommitThreeBlocks();
  StoreCheckpoint(Checkpoint(1));
  v1::CheckpointCertificate certificate = Checkpoint(2);
  certificate.mutable_votes(0)->mutable_signature()->back() ^= 0x01;
  StoreCheckpoint(certificate);
  const VerifyReport report = VerifyDataDir();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_height, 2u);
  EXPECT_EQ(report.checkpoints, 1u);  // the one at height 1 passed
}

TEST_F(StoreBlockSourceTest, CheckpointAboveTheHeadIsCheckedBySignatureOnly) {
  CommitThreeBlocks();
  v1::CheckpointCertificate certificate = Checkpoint(3);
  certificate.set_height(9);  // a node that stored a stable checkpoint before catching up
  Sign(&certificate);
  StoreCheckpoint(certificate);
  const VerifyReport report = VerifyDataDir();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.checkpoints_above_head, 1u);

  certificate.mutable_votes(0)->mutable_signature()->back() ^= 0x01;
  StoreCheckpoint(certificate);
  const VerifyReport tampered = VerifyDataDir();
  EXPECT_FALSE(tampered.ok);
  EXPECT_EQ(tampered.bad_height, 9u);
}

TEST_F(StoreBlockSourceTest, MissingDataDirIsAnError) {
  auto source = StoreBlockSource::Open(dir_.string(), *net_->genesis());
  ASSERT_FALSE(source.ok());
  EXPECT_NE(source.status().message().find(dir_.string()), std::string::npos)
      << source.status().message();
}

}  // namespace
}  // namespace shipledger::cli
