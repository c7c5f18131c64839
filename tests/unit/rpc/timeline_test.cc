#include "rpc/timeline.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "contracts/executor.h"
#include "model/block.h"
#include "model/validation.h"
#include "testing/test_network.h"

namespace shipledger::rpc {
namespace {

namespace fs = std::filesystem;

class TimelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = testing::TestNetwork::Create();
    dir_ = fs::temp_directory_path() / ("shipledger-tl-" + std::to_string(std::random_device()()));
    store_ = std::move(storage::Store::Open(dir_.string(), *net_->genesis())).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  model::EventPtr Admit(const v1::SignedEvent& se) {
    model::EventValidator v(net_->genesis());
    model::ValidateOptions o;
    o.cert_time_ms = net_->now_ms();
    return *v.Validate(se, o);
  }
  // Executes and stores the next block, as the node's commit thread does.
  void Commit(const std::vector<model::EventPtr>& events) {
    const storage::ChainHead head = store_->head();
    v1::Block block;
    v1::Proposal* p = block.mutable_proposal();
    p->set_chain_id(net_->genesis()->chain_id);
    p->set_height(head.height + 1);
    p->set_events_root(model::EventsRoot(events));
    p->set_timestamp_ms(net_->now_ms() + static_cast<int64_t>(head.height) + 1);
    p->set_event_count(static_cast<uint32_t>(events.size()));
    block.set_prev_block_hash(head.block_hash);
    block.set_block_hash(model::BlockHash(model::ProposalDigest(*p), head.block_hash));
    const auto effects = contracts::ExecuteBlock(events, *store_, {p->height(), p->timestamp_ms()});
    ASSERT_TRUE(store_
                    ->CommitBlock(block, events, effects,
                                  model::ResultsDigest(head.results, effects.receipts_root,
                                                       effects.state_writes_digest))
                    .ok());
  }

  std::unique_ptr<testing::TestNetwork> net_;
  fs::path dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(TimelineTest, EntryCarriesEventPlaceTimeCosignersAndReceipt) {
  auto booked = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "S"));
  auto handover = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_HANDOVER, "S", {"forwarder"}));
  Commit({booked, handover});
  BlockTimes times(*store_);
  auto entry = LoadTimelineEntry(*store_, handover->id, &times);
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  EXPECT_EQ(entry->height(), 1u);
  EXPECT_EQ(entry->index(), 1u);
  EXPECT_EQ(entry->block_time_ms(), net_->now_ms() + 1);
  EXPECT_EQ(entry->event().type(), v1::EVENT_TYPE_HANDOVER);
  ASSERT_EQ(entry->cosigner_orgs_size(), 1);
  EXPECT_EQ(entry->cosigner_orgs(0), "forwarder");
  EXPECT_EQ(entry->receipt().code(), v1::RESULT_CODE_VALID);
  EXPECT_EQ(LoadTimelineEntry(*store_, std::string(32, 'x'), &times).status().code(),
            Code::kNotFound);
}

TEST_F(TimelineTest, ShipmentTimelineHoldsItsEventsInChainOrder) {
  auto booked = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "S"));
  auto other = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "T"));
  auto pickup = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_PICKUP, "S"));
  Commit({booked, other});
  Commit({pickup});
  google::protobuf::RepeatedPtrField<v1::TimelineEntry> timeline;
  ASSERT_TRUE(AppendTimeline(*store_, "S", &timeline).ok());
  ASSERT_EQ(timeline.size(), 2);
  EXPECT_EQ(timeline[0].event_id(), booked->id);
  EXPECT_EQ(timeline[1].event_id(), pickup->id);
  EXPECT_EQ(timeline[1].height(), 2u);
  EXPECT_EQ(timeline[1].block_time_ms(), net_->now_ms() + 2);
  EXPECT_EQ(timeline[1].receipt().code(), v1::RESULT_CODE_VALID);
  google::protobuf::RepeatedPtrField<v1::TimelineEntry> unknown;
  ASSERT_TRUE(AppendTimeline(*store_, "U", &unknown).ok());
  EXPECT_TRUE(unknown.empty());
}

// Bug: a later copy of a committed event showed the original's VALID receipt in Watch.
TEST_F(TimelineTest, LaterCopyOfAnEventShowsAsDuplicate) {
  auto booked = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "S"));
  Commit({booked});
  Commit({booked});  // ordered again (a race past admission): execution says DUPLICATE
  auto copy = store_->GetBlock(2);
  ASSERT_TRUE(copy.ok());
  v1::TimelineEntry entry;
  ASSERT_TRUE(FillTimelineEntry(*store_, copy->events(0), booked->id, 2, 0,
                                copy->proposal().timestamp_ms(), &entry)
                  .ok());
  EXPECT_EQ(entry.receipt().code(), v1::RESULT_CODE_DUPLICATE);
  EXPECT_EQ(entry.receipt().height(), 2u);
  EXPECT_NE(entry.receipt().reason().find("height 1"), std::string::npos);
  v1::TimelineEntry original;
  auto first = store_->GetBlock(1);
  ASSERT_TRUE(FillTimelineEntry(*store_, first->events(0), booked->id, 1, 0,
                                first->proposal().timestamp_ms(), &original)
                  .ok());
  EXPECT_EQ(original.receipt().code(), v1::RESULT_CODE_VALID);
}

}  // namespace
}  // namespace shipledger::rpc
