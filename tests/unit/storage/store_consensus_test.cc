// Store: the consensus journal, checkpoint certificates and GetBlocks (store_consensus.cc).
#include <gtest/gtest.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "storage/keys.h"
#include "storage/store.h"
#include "store_test_util.h"

namespace shipledger::storage {
namespace {

v1::JournalEntry ViewEntry(uint64_t view) {
  v1::JournalEntry entry;
  entry.set_view(view);
  return entry;
}

// A journalled PREPARE at `height`; `tag` (stored as the vote's view) tells entries apart.
v1::JournalEntry VoteEntry(uint64_t height, uint64_t tag) {
  v1::JournalEntry entry;
  v1::Vote* vote = entry.mutable_sent()->mutable_prepare();
  vote->set_view(tag);
  vote->set_height(height);
  vote->set_digest(Bytes(32, 'd'));
  return entry;
}

// Each entry as "v<view>" or "<height>:<tag>", in load order.
std::vector<std::string> Describe(const std::vector<v1::JournalEntry>& entries) {
  std::vector<std::string> out;
  for (const v1::JournalEntry& entry : entries) {
    if (entry.has_view()) {
      out.push_back("v" + std::to_string(entry.view()));
    } else {
      const v1::Vote& vote = entry.sent().prepare();
      out.push_back(std::to_string(vote.height()) + ":" + std::to_string(vote.view()));
    }
  }
  return out;
}

std::vector<std::string> LoadOrDie(const Store& store) {
  Result<std::vector<v1::JournalEntry>> entries = store.LoadJournal();
  EXPECT_TRUE(entries.ok()) << entries.status().ToString();
  return entries.ok() ? Describe(*entries) : std::vector<std::string>();
}

void Append(Store& store, uint64_t height, const v1::JournalEntry& entry) {
  const Status status = store.AppendJournal(height, entry);
  ASSERT_TRUE(status.ok()) << status.ToString();
}

v1::CheckpointCertificate MakeCheckpoint(uint64_t height) {
  v1::CheckpointCertificate certificate;
  certificate.set_height(height);
  certificate.set_block_hash(FakeHash('b', height));
  certificate.set_results(FakeHash('D', height));
  for (uint32_t replica = 0; replica < 3; ++replica) {
    v1::CommitVote* vote = certificate.add_votes();
    vote->set_replica(replica);
    vote->set_signature("checkpoint-" + std::to_string(replica));
  }
  return certificate;
}

void ExpectGenesisCheckpoint(const Result<v1::CheckpointCertificate>& certificate) {
  ASSERT_TRUE(certificate.ok()) << certificate.status().ToString();
  EXPECT_EQ(certificate->height(), 0u);
  EXPECT_EQ(certificate->block_hash(), MakeGenesis().hash);
  EXPECT_EQ(certificate->results(), Bytes(32, '\0'));
  EXPECT_EQ(certificate->votes_size(), 0);
}

TEST(StoreJournal, NewStoreHasEmptyJournal) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  EXPECT_TRUE(LoadOrDie(*store).empty());
}

TEST(StoreJournal, LoadsInHeightThenAppendOrder) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  Append(*store, 3, VoteEntry(3, 1));
  Append(*store, 1, VoteEntry(1, 1));
  Append(*store, 0, ViewEntry(1));
  Append(*store, 3, VoteEntry(3, 2));
  Append(*store, 1, VoteEntry(1, 2));
  Append(*store, 0, ViewEntry(2));
  EXPECT_EQ(LoadOrDie(*store), (std::vector<std::string>{"v1", "v2", "1:1", "1:2", "3:1", "3:2"}));
}

TEST(StoreJournal, SurvivesReopen) {
  TempDir dir;
  {
    auto store = OpenOrDie(dir.path());
    Append(*store, 0, ViewEntry(4));
    Append(*store, 2, VoteEntry(2, 4));
  }
  auto store = OpenOrDie(dir.path());
  EXPECT_EQ(LoadOrDie(*store), (std::vector<std::string>{"v4", "2:4"}));
}

TEST(StoreJournal, SequenceContinuesAfterReopen) {
  TempDir dir;
  {
    auto store = OpenOrDie(dir.path());
    Append(*store, 0, ViewEntry(1));
    Append(*store, 7, VoteEntry(7, 1));
    Append(*store, 7, VoteEntry(7, 2));
  }
  auto store = OpenOrDie(dir.path());
  // Appended after the reopen, so loaded after the entries of the same height from before it.
  Append(*store, 7, VoteEntry(7, 3));
  Append(*store, 0, ViewEntry(2));
  EXPECT_EQ(LoadOrDie(*store), (std::vector<std::string>{"v1", "v2", "7:1", "7:2", "7:3"}));
}

TEST(StoreJournal, PruneDeletesCoveredHeightsOnly) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  for (uint64_t height = 1; height <= 5; ++height) Append(*store, height, VoteEntry(height, 0));
  ASSERT_TRUE(store->PutCheckpoint(MakeCheckpoint(3)).ok());
  EXPECT_EQ(LoadOrDie(*store), (std::vector<std::string>{"4:0", "5:0"}));
}

TEST(StoreJournal, PruneKeepsOnlyTheLatestView) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  Append(*store, 0, ViewEntry(1));
  Append(*store, 2, VoteEntry(2, 1));
  Append(*store, 0, ViewEntry(2));
  Append(*store, 0, ViewEntry(3));
  ASSERT_TRUE(store->PutCheckpoint(MakeCheckpoint(2)).ok());
  EXPECT_EQ(LoadOrDie(*store), (std::vector<std::string>{"v3"}));
}

TEST(StoreJournal, PruneKeepsOtherEntriesAtHeightZero) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  Append(*store, 0, ViewEntry(1));
  Append(*store, 0, VoteEntry(0, 9));
  Append(*store, 0, ViewEntry(2));
  ASSERT_TRUE(store->PutCheckpoint(MakeCheckpoint(1)).ok());
  EXPECT_EQ(LoadOrDie(*store), (std::vector<std::string>{"0:9", "v2"}));
}

TEST(StoreJournal, PruneThroughMaxHeightDeletesEveryHeight) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  Append(*store, 0, ViewEntry(1));
  Append(*store, 1, VoteEntry(1, 0));
  Append(*store, UINT64_MAX, VoteEntry(UINT64_MAX, 0));
  ASSERT_TRUE(store->PutCheckpoint(MakeCheckpoint(UINT64_MAX)).ok());
  EXPECT_EQ(LoadOrDie(*store), (std::vector<std::string>{"v1"}));
}

TEST(StoreJournal, PruneSurvivesReopen) {
  TempDir dir;
  {
    auto store = OpenOrDie(dir.path());
    Append(*store, 0, ViewEntry(1));
    Append(*store, 0, ViewEntry(2));
    Append(*store, 1, VoteEntry(1, 2));
    Append(*store, 2, VoteEntry(2, 2));
    ASSERT_TRUE(store->PutCheckpoint(MakeCheckpoint(1)).ok());
  }
  auto store = OpenOrDie(dir.path());
  EXPECT_EQ(LoadOrDie(*store), (std::vector<std::string>{"v2", "2:2"}));
}

v1::JournalEntry ViewChangeEntry(uint64_t new_view, uint64_t prepared_height) {
  v1::JournalEntry entry;
  v1::ViewChange* vc = entry.mutable_sent()->mutable_view_change();
  vc->set_new_view(new_view);
  vc->add_prepared()->mutable_proposal()->set_height(prepared_height);
  return entry;
}

size_t CountViewChanges(const Store& store) {
  auto entries = store.LoadJournal();
  EXPECT_TRUE(entries.ok()) << entries.status().ToString();
  size_t count = 0;
  for (const auto& e : entries.ok() ? *entries : std::vector<v1::JournalEntry>()) {
    count += e.has_sent() && e.sent().has_view_change();
  }
  return count;
}

// Issue 18: VIEW-CHANGE entries were never pruned.
TEST(StoreJournal, CheckpointPrunesViewChangesOfViewsEntered) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  Append(*store, 0, ViewChangeEntry(1, 3));
  Append(*store, 0, ViewEntry(1));
  Append(*store, 0, ViewChangeEntry(2, 4));  // waiting for view 2's NEW-VIEW: kept
  ASSERT_TRUE(store->PutCheckpoint(MakeCheckpoint(4)).ok());
  EXPECT_EQ(CountViewChanges(*store), 1u);
  auto entries = store->LoadJournal();
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].view(), 1u);
  EXPECT_EQ((*entries)[1].sent().view_change().new_view(), 2u);
}

// A RocksDB file system whose writable files fail every write once armed.
class FailingFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  FailingFileSystem() : rocksdb::FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "FailingFileSystem"; }
  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewWritableFile(name, options, file, dbg);
    if (s.ok()) *file = std::make_unique<File>(std::move(*file), this);
    return s;
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* file,
                                       rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->ReopenWritableFile(name, options, file, dbg);
    if (s.ok()) *file = std::make_unique<File>(std::move(*file), this);
    return s;
  }
  std::atomic<bool> fail{false};

 private:
  class File final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> target, const FailingFileSystem* fs)
        : rocksdb::FSWritableFileOwnerWrapper(std::move(target)), fs_(fs) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
      if (fs_->fail) return rocksdb::IOStatus::IOError("injected write failure");
      return target()->Append(data, options, dbg);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* dbg) override {
      if (fs_->fail) return rocksdb::IOStatus::IOError("injected write failure");
      return target()->Append(data, options, info, dbg);
    }

   private:
    const FailingFileSystem* fs_;
  };
};

// Issue 18: the journal was pruned even when storing the checkpoint certificate failed, after
// which a restarted node could sign a second, different vote at a (view, height).
TEST(StoreJournal, FailedCheckpointWritePrunesNothing) {
  TempDir dir;
  auto fs = std::make_shared<FailingFileSystem>();
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  StoreOptions options;
  options.env = env.get();
  {
    auto store = OpenOrDie(dir.path(), MakeGenesis(), options);
    Append(*store, 0, ViewEntry(1));
    for (uint64_t height = 1; height <= 3; ++height) Append(*store, height, VoteEntry(height, 1));
    fs->fail = true;
    EXPECT_FALSE(store->PutCheckpoint(MakeCheckpoint(3)).ok());
    fs->fail = false;
  }
  auto store = OpenOrDie(dir.path());
  EXPECT_EQ(LoadOrDie(*store), (std::vector<std::string>{"v1", "1:1", "2:1", "3:1"}));
  auto latest = store->LatestCheckpoint();
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->height(), 0u);
}

TEST(StoreJournal, ReadOnlyStoreRefusesWrites) {
  TempDir dir;
  { auto store = OpenOrDie(dir.path()); }
  StoreOptions options;
  options.read_only = true;
  auto store = OpenOrDie(dir.path(), MakeGenesis(), options);
  EXPECT_EQ(store->AppendJournal(1, VoteEntry(1, 0)).code(), Code::kFailedPrecondition);
  EXPECT_EQ(store->PutCheckpoint(MakeCheckpoint(4)).code(), Code::kFailedPrecondition);
}

TEST(StoreJournal, MalformedKeyIsDataLossAtOpen) {
  TempDir dir;
  { auto store = OpenOrDie(dir.path()); }
  RawWrite(dir.path(), keys::Family::kConsensus, "short", Bytes("x"));
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path(), MakeGenesis());
  EXPECT_EQ(store.status().code(), Code::kDataLoss);
}

TEST(StoreJournal, UnparsableEntryIsDataLoss) {
  TempDir dir;
  { auto store = OpenOrDie(dir.path()); }
  RawWrite(dir.path(), keys::Family::kConsensus, keys::JournalKey(2, 0), Bytes("\xff\xff", 2));
  auto store = OpenOrDie(dir.path());
  EXPECT_EQ(store->LoadJournal().status().code(), Code::kDataLoss);
}

TEST(StoreCheckpoint, LatestDefaultsToGenesis) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  ExpectGenesisCheckpoint(store->LatestCheckpoint());
}

TEST(StoreCheckpoint, LatestIsTheHighestStored) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store->PutCheckpoint(MakeCheckpoint(128)).ok());
  ASSERT_TRUE(store->PutCheckpoint(MakeCheckpoint(256)).ok());
  ASSERT_TRUE(store->PutCheckpoint(MakeCheckpoint(64)).ok());
  Result<v1::CheckpointCertificate> latest = store->LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(latest->SerializeAsString(), MakeCheckpoint(256).SerializeAsString());
}

TEST(StoreCheckpoint, GetReturnsTheCertificateStoredAtHeight) {
  TempDir dir;
  {
    auto store = OpenOrDie(dir.path());
    ASSERT_TRUE(store->PutCheckpoint(MakeCheckpoint(64)).ok());
    ASSERT_TRUE(store->PutCheckpoint(MakeCheckpoint(128)).ok());
  }
  auto store = OpenOrDie(dir.path());  // and they are durable
  Result<v1::CheckpointCertificate> at64 = store->GetCheckpoint(64);
  ASSERT_TRUE(at64.ok()) << at64.status().ToString();
  EXPECT_EQ(at64->SerializeAsString(), MakeCheckpoint(64).SerializeAsString());
}

TEST(StoreCheckpoint, GetOfUnstoredHeightIsNotFound) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store->PutCheckpoint(MakeCheckpoint(64)).ok());
  EXPECT_EQ(store->GetCheckpoint(63).status().code(), Code::kNotFound);
  EXPECT_EQ(store->GetCheckpoint(65).status().code(), Code::kNotFound);
}

TEST(StoreCheckpoint, GetAtHeightZeroIsTheGenesisCertificate) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  ExpectGenesisCheckpoint(store->GetCheckpoint(0));
}

TEST(StoreCheckpoint, RefusesToStoreHeightZero) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  EXPECT_EQ(store->PutCheckpoint(MakeCheckpoint(0)).code(), Code::kInvalidArgument);
  ExpectGenesisCheckpoint(store->LatestCheckpoint());
}

TEST(StoreCheckpoint, ListsFromHeightInOrderUpToLimit) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  for (uint64_t height : {192, 64, 256, 128}) {
    ASSERT_TRUE(store->PutCheckpoint(MakeCheckpoint(height)).ok());
  }
  Result<std::vector<v1::CheckpointCertificate>> listed = store->ListCheckpoints(100, 2);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].height(), 128u);
  EXPECT_EQ((*listed)[1].height(), 192u);
}

TEST(StoreCheckpoint, CertificateUnderWrongHeightIsDataLoss) {
  TempDir dir;
  { auto store = OpenOrDie(dir.path()); }
  RawWrite(dir.path(), keys::Family::kCheckpoints, keys::HeightKey(64),
           MakeCheckpoint(65).SerializeAsString());
  auto store = OpenOrDie(dir.path());
  EXPECT_EQ(store->GetCheckpoint(64).status().code(), Code::kDataLoss);
  EXPECT_EQ(store->LatestCheckpoint().status().code(), Code::kDataLoss);
}

// A store holding blocks 1..count, each with `events_per_block` events.
std::unique_ptr<Store> StoreWithBlocks(const std::string& dir, int count, int events_per_block) {
  auto store = OpenOrDie(dir);
  for (int i = 0; i < count; ++i) {
    std::vector<EventSpec> specs(static_cast<size_t>(events_per_block), EventSpec{"S"});
    CommitNext(*store, specs);
  }
  return store;
}

std::vector<uint64_t> Heights(const Result<std::vector<v1::Block>>& blocks) {
  EXPECT_TRUE(blocks.ok()) << blocks.status().ToString();
  std::vector<uint64_t> heights;
  if (!blocks.ok()) return heights;
  for (const v1::Block& block : *blocks) heights.push_back(block.proposal().height());
  return heights;
}

constexpr size_t kNoByteLimit = SIZE_MAX;

TEST(StoreGetBlocks, ReturnsFullBlocksWithEventsAndCertificates) {
  TempDir dir;
  auto store = StoreWithBlocks(dir.path(), 2, 3);
  Result<std::vector<v1::Block>> blocks = store->GetBlocks(2, 10, kNoByteLimit);
  ASSERT_TRUE(blocks.ok()) << blocks.status().ToString();
  ASSERT_EQ(blocks->size(), 1u);
  EXPECT_EQ((*blocks)[0].SerializeAsString(), store->GetBlock(2)->SerializeAsString());
  EXPECT_EQ((*blocks)[0].events_size(), 3);
  EXPECT_EQ((*blocks)[0].certificate().votes_size(), 3);
}

TEST(StoreGetBlocks, StopsAtTheHead) {
  TempDir dir;
  auto store = StoreWithBlocks(dir.path(), 4, 1);
  EXPECT_EQ(Heights(store->GetBlocks(2, 10, kNoByteLimit)), (std::vector<uint64_t>{2, 3, 4}));
}

TEST(StoreGetBlocks, StopsAtMaxBlocks) {
  TempDir dir;
  auto store = StoreWithBlocks(dir.path(), 4, 1);
  EXPECT_EQ(Heights(store->GetBlocks(1, 2, kNoByteLimit)), (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(Heights(store->GetBlocks(1, 0, kNoByteLimit)).empty());
}

TEST(StoreGetBlocks, StopsBeforeTheBlockThatPassesMaxBytes) {
  TempDir dir;
  auto store = StoreWithBlocks(dir.path(), 4, 2);
  const size_t one = store->GetBlock(1)->ByteSizeLong();
  const size_t two = one + store->GetBlock(2)->ByteSizeLong();
  const size_t three = two + store->GetBlock(3)->ByteSizeLong();
  EXPECT_EQ(Heights(store->GetBlocks(1, 10, two)), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(Heights(store->GetBlocks(1, 10, three - 1)), (std::vector<uint64_t>{1, 2}));
}

TEST(StoreGetBlocks, ReturnsOneBlockLargerThanMaxBytes) {
  TempDir dir;
  auto store = StoreWithBlocks(dir.path(), 3, 2);
  EXPECT_EQ(Heights(store->GetBlocks(2, 10, 1)), (std::vector<uint64_t>{2}));
}

TEST(StoreGetBlocks, EmptyAboveTheHead) {
  TempDir dir;
  auto store = StoreWithBlocks(dir.path(), 2, 1);
  EXPECT_TRUE(Heights(store->GetBlocks(3, 10, kNoByteLimit)).empty());
  EXPECT_TRUE(Heights(store->GetBlocks(UINT64_MAX, 10, kNoByteLimit)).empty());
}

TEST(StoreGetBlocks, RefusesHeightZero) {
  TempDir dir;
  auto store = StoreWithBlocks(dir.path(), 1, 1);
  EXPECT_EQ(store->GetBlocks(0, 10, kNoByteLimit).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace shipledger::storage
