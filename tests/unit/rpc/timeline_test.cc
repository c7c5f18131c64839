#include "rpc/timeline.h"

#include <gtest/gtest.h>

#include "chain_fixture.h"
#include "model/block.h"
#include "storage/keys.h"
#include "unit/storage/store_test_util.h"

namespace shipledger::rpc {
namespace {

using TimelineTest = ChainFixture;

// What the commit thread hands to Watch streams (MakeCommittedBlock, from the events admission
// parsed and the receipts execution gave) is byte for byte what a stream behind the ring reads
// from the store (LoadCommittedBlock): first copies, a DUPLICATE copy, a REJECTED event and a
// co-signed hand-over.
TEST_F(TimelineTest, TheRingsBlockIsWhatTheStoreGives) {
  auto booked = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "S"));
  auto handover = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_HANDOVER, "S", {"forwarder"}));
  auto early = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_DELIVERED, "T"));  // REJECTED
  std::vector<std::vector<model::EventPtr>> blocks = {{booked, early}, {handover, booked}};
  for (size_t k = 0; k < blocks.size(); ++k) {
    const auto [block, executed] = Commit(blocks[k]);
    const auto made =
        std::make_shared<const CommittedBlock>(block, blocks[k], executed.effects.receipts);
    const auto loaded = LoadCommittedBlock(*store_, k + 1);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ(made->height(), (*loaded)->height());
    EXPECT_EQ(made->block_time_ms(), (*loaded)->block_time_ms());
    EXPECT_EQ(made->block_hash(), (*loaded)->block_hash());
    const auto& ring = made->entries();
    const auto& read = (*loaded)->entries();
    ASSERT_EQ(ring.size(), read.size());
    for (size_t i = 0; i < ring.size(); ++i) {
      EXPECT_EQ(ring[i].SerializeAsString(), read[i].SerializeAsString())
          << "block " << k + 1 << " entry " << i << "\nring " << ring[i].ShortDebugString()
          << "\nread " << read[i].ShortDebugString();
    }
  }
  EXPECT_EQ(LoadCommittedBlock(*store_, 3).status().code(), Code::kNotFound);
}

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

// The timeline reads each event's receipt and block time from the shipment index; what it shows
// must be what the receipts and blocks say (LoadTimelineEntry reads those).
TEST_F(TimelineTest, ShipmentTimelineAgreesWithEntriesReadByEventId) {
  auto booked = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "S"));
  auto early = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_DELIVERED, "S"));  // REJECTED
  auto handover = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_HANDOVER, "S", {"forwarder"}));
  Commit({booked, early});
  Commit({handover});
  Commit({booked});  // a later copy: in block 3, not in the shipment's timeline
  google::protobuf::RepeatedPtrField<v1::TimelineEntry> timeline;
  ASSERT_TRUE(AppendTimeline(*store_, "S", &timeline).ok());
  ASSERT_EQ(timeline.size(), 3);
  EXPECT_EQ(timeline[1].receipt().code(), v1::RESULT_CODE_REJECTED);
  EXPECT_FALSE(timeline[1].receipt().reason().empty());
  BlockTimes times(*store_);
  for (const v1::TimelineEntry& entry : timeline) {
    auto by_id = LoadTimelineEntry(*store_, entry.event_id(), &times);
    ASSERT_TRUE(by_id.ok()) << by_id.status().ToString();
    EXPECT_EQ(entry.SerializeAsString(), by_id->SerializeAsString()) << entry.DebugString();
  }
}

TEST_F(TimelineTest, UnreadableReceiptInTheShipmentIndexIsDataLoss) {
  auto booked = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "S"));
  Commit({booked});
  const int64_t t = store_->head().block_time_ms;
  store_.reset();
  storage::RawWrite(dir_.path(), storage::keys::Family::kShipmentEvents,
                    storage::keys::ShipmentEventKey("S", 1, 0),
                    storage::keys::EncodeShipmentEntry(booked->id, t, "\xff\xff\xff"));
  store_ = std::move(storage::Store::Open(dir_.path(), *net_->genesis())).value();
  google::protobuf::RepeatedPtrField<v1::TimelineEntry> timeline;
  const Status status = AppendTimeline(*store_, "S", &timeline);
  EXPECT_EQ(status.code(), Code::kDataLoss) << status.ToString();
  EXPECT_NE(status.message().find("receipt"), std::string::npos) << status.ToString();
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
  // It is the certified receipt, byte for byte: the one receipt of block 2 hashes to the
  // receipts root recorded for height 2 (a receipt rebuilt with other words would not).
  auto results = store_->GetResults(2);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  EXPECT_EQ(model::ReceiptsRoot({entry.receipt()}, net_->genesis()->ContractRulesAt(2)),
            results->receipts_root)
      << entry.receipt().ShortDebugString();
  v1::TimelineEntry original;
  auto first = store_->GetBlock(1);
  ASSERT_TRUE(FillTimelineEntry(*store_, first->events(0), booked->id, 1, 0,
                                first->proposal().timestamp_ms(), &original)
                  .ok());
  EXPECT_EQ(original.receipt().code(), v1::RESULT_CODE_VALID);
}

}  // namespace
}  // namespace shipledger::rpc
