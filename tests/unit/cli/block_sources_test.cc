#include "cli/block_sources.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "cli/verifier.h"
#include "model/block.h"
#include "model/validation.h"
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
      effects.receipts_root = model::ReceiptsRoot(effects.receipts);
      effects.state_writes_digest = Bytes(32, '\0');
      Status s = (*store)->CommitBlock(block, events, effects, Bytes(32, '\x01'));
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
  }

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

TEST_F(StoreBlockSourceTest, MissingDataDirIsAnError) {
  auto source = StoreBlockSource::Open(dir_.string(), *net_->genesis());
  ASSERT_FALSE(source.ok());
  EXPECT_NE(source.status().message().find(dir_.string()), std::string::npos)
      << source.status().message();
}

}  // namespace
}  // namespace shipledger::cli
