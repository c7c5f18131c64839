#include "rpc/commit_notifier.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace shipledger::rpc {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

v1::Receipt MakeReceipt(const Bytes& id, uint64_t height, uint32_t index,
                        v1::ResultCode code = v1::RESULT_CODE_VALID) {
  v1::Receipt r;
  r.set_event_id(id);
  r.set_height(height);
  r.set_index(index);
  r.set_code(code);
  return r;
}

// A committed block holding only these receipts (what waiters read).
std::shared_ptr<const CommittedBlock> Block(uint64_t height, std::vector<v1::Receipt> receipts) {
  v1::Block header;
  header.mutable_proposal()->set_height(height);
  return std::make_shared<const CommittedBlock>(header, std::vector<model::EventPtr>{},
                                                std::move(receipts));
}

// Long enough to never fire in a passing test, short enough not to hang a failing one.
CommitNotifier::Deadline Far() { return Clock::now() + 10s; }

TEST(CommitNotifier, StartsAtGivenHeight) {
  CommitNotifier n(5);
  EXPECT_EQ(n.height(), 5u);
  EXPECT_FALSE(n.shutting_down());
}

TEST(CommitNotifier, ExpectStartsWithNoReceipts) {
  CommitNotifier n(0);
  auto w = n.Expect({"a", "b"});
  ASSERT_EQ(w->receipts().size(), 2u);
  EXPECT_FALSE(w->receipts()[0].has_value());
  EXPECT_FALSE(w->receipts()[1].has_value());
}

TEST(CommitNotifier, PublishedFillsReceiptsInExpectOrder) {
  CommitNotifier n(0);
  auto w = n.Expect({"a", "b", "c"});
  n.Published(Block(1, {MakeReceipt("c", 1, 0), MakeReceipt("x", 1, 1), MakeReceipt("a", 1, 2)}));
  EXPECT_EQ(n.height(), 1u);
  ASSERT_TRUE(w->receipts()[0].has_value());
  EXPECT_EQ(w->receipts()[0]->event_id(), "a");
  EXPECT_EQ(w->receipts()[0]->index(), 2u);
  EXPECT_FALSE(w->receipts()[1].has_value());
  ASSERT_TRUE(w->receipts()[2].has_value());
  EXPECT_EQ(w->receipts()[2]->event_id(), "c");
  EXPECT_EQ(w->receipts()[2]->index(), 0u);
}

TEST(CommitNotifier, WaitReturnsTrueAtOnceWhenAllPublished) {
  CommitNotifier n(0);
  auto w = n.Expect({"a"});
  n.Published(Block(1, {MakeReceipt("a", 1, 0)}));
  const auto start = Clock::now();
  EXPECT_TRUE(n.Wait(w, Far()));
  EXPECT_LT(Clock::now() - start, 5s);
}

TEST(CommitNotifier, WaitReturnsTrueWhenReceiptsArriveFromAnotherThread) {
  CommitNotifier n(0);
  auto w = n.Expect({"a", "b"});
  std::thread committer([&] {
    std::this_thread::sleep_for(20ms);
    n.Published(Block(1, {MakeReceipt("a", 1, 0)}));
    std::this_thread::sleep_for(20ms);
    n.Published(Block(2, {MakeReceipt("b", 2, 0, v1::RESULT_CODE_REJECTED)}));
  });
  const bool all = n.Wait(w, Far());
  committer.join();
  EXPECT_TRUE(all);
  ASSERT_TRUE(w->receipts()[0].has_value());
  ASSERT_TRUE(w->receipts()[1].has_value());
  EXPECT_EQ(w->receipts()[0]->height(), 1u);
  EXPECT_EQ(w->receipts()[1]->height(), 2u);
  EXPECT_EQ(w->receipts()[1]->code(), v1::RESULT_CODE_REJECTED);
}

TEST(CommitNotifier, WaitTimesOutWhenAReceiptIsMissing) {
  CommitNotifier n(0);
  auto w = n.Expect({"a", "b"});
  n.Published(Block(1, {MakeReceipt("a", 1, 0)}));
  const auto start = Clock::now();
  EXPECT_FALSE(n.Wait(w, start + 50ms));
  EXPECT_GE(Clock::now() - start, 50ms);
  EXPECT_TRUE(w->receipts()[0].has_value());
  EXPECT_FALSE(w->receipts()[1].has_value());
}

TEST(CommitNotifier, WaitUnregistersSoLaterPublishesDoNotTouchTheWaiter) {
  CommitNotifier n(0);
  auto w = n.Expect({"a"});
  EXPECT_FALSE(n.Wait(w, Clock::now()));
  n.Published(Block(1, {MakeReceipt("a", 1, 0)}));
  EXPECT_FALSE(w->receipts()[0].has_value());
}

TEST(CommitNotifier, EmptyExpectationIsSatisfiedAtOnce) {
  CommitNotifier n(0);
  auto w = n.Expect({});
  EXPECT_TRUE(n.Wait(w, Clock::now()));
}

TEST(CommitNotifier, FillRecordsAReceiptFoundInTheStore) {
  CommitNotifier n(3);
  auto w = n.Expect({"a", "b"});
  n.Fill(*w, 1, MakeReceipt("b", 2, 4));
  ASSERT_TRUE(w->receipts()[1].has_value());
  EXPECT_EQ(w->receipts()[1]->index(), 4u);
  EXPECT_FALSE(n.Wait(w, Clock::now())) << "a is still missing";

  auto w2 = n.Expect({"a", "b"});
  n.Fill(*w2, 0, MakeReceipt("a", 1, 0));
  n.Fill(*w2, 1, MakeReceipt("b", 2, 4));
  EXPECT_TRUE(n.Wait(w2, Clock::now()));
}

TEST(CommitNotifier, FillAndPublishedOfSameIdCountOnce) {
  CommitNotifier n(0);
  auto w = n.Expect({"a", "b"});
  n.Fill(*w, 0, MakeReceipt("a", 1, 0));
  n.Published(Block(1, {MakeReceipt("a", 1, 0)}));  // the same receipt, seen again
  n.Fill(*w, 0, MakeReceipt("a", 9, 9));            // a second fill keeps the first
  EXPECT_EQ(w->receipts()[0]->height(), 1u);
  EXPECT_FALSE(n.Wait(w, Clock::now() + 20ms)) << "b never arrived";
}

TEST(CommitNotifier, DuplicateReceiptDoesNotFill) {
  CommitNotifier n(0);
  auto w = n.Expect({"a"});
  // A later copy of an already committed event gets a DUPLICATE receipt; the submitter of the
  // original must not be told its event was a duplicate.
  n.Published(Block(1, {MakeReceipt("a", 1, 0, v1::RESULT_CODE_DUPLICATE)}));
  EXPECT_FALSE(w->receipts()[0].has_value());
  n.Published(Block(2, {MakeReceipt("a", 2, 0, v1::RESULT_CODE_VALID)}));
  ASSERT_TRUE(w->receipts()[0].has_value());
  EXPECT_EQ(w->receipts()[0]->code(), v1::RESULT_CODE_VALID);
  n.Published(Block(3, {MakeReceipt("a", 3, 0, v1::RESULT_CODE_DUPLICATE)}));
  EXPECT_EQ(w->receipts()[0]->height(), 2u);
  EXPECT_TRUE(n.Wait(w, Clock::now()));
}

TEST(CommitNotifier, OriginalAndDuplicateInOneBlockFillWithTheOriginal) {
  CommitNotifier n(0);
  auto w = n.Expect({"a"});
  n.Published(Block(1, {MakeReceipt("a", 1, 0, v1::RESULT_CODE_DUPLICATE),
                        MakeReceipt("a", 1, 1, v1::RESULT_CODE_VALID)}));
  ASSERT_TRUE(w->receipts()[0].has_value());
  EXPECT_EQ(w->receipts()[0]->code(), v1::RESULT_CODE_VALID);
  EXPECT_EQ(w->receipts()[0]->index(), 1u);
}

TEST(CommitNotifier, TwoWaitersOnOneIdBothGetTheReceipt) {
  CommitNotifier n(0);
  auto w1 = n.Expect({"a"});
  auto w2 = n.Expect({"a", "b"});
  n.Published(Block(1, {MakeReceipt("a", 1, 0), MakeReceipt("b", 1, 1)}));
  EXPECT_TRUE(n.Wait(w1, Clock::now()));
  EXPECT_TRUE(n.Wait(w2, Clock::now()));
  EXPECT_EQ(w1->receipts()[0]->event_id(), "a");
  EXPECT_EQ(w2->receipts()[0]->event_id(), "a");
}

TEST(CommitNotifier, OneWaitersUnregistrationKeepsTheOther) {
  CommitNotifier n(0);
  auto w1 = n.Expect({"a"});
  auto w2 = n.Expect({"a"});
  EXPECT_FALSE(n.Wait(w1, Clock::now()));  // w1 gives up
  n.Published(Block(1, {MakeReceipt("a", 1, 0)}));
  EXPECT_FALSE(w1->receipts()[0].has_value());
  EXPECT_TRUE(n.Wait(w2, Clock::now()));
}

TEST(CommitNotifier, SameIdTwiceInOneWaiterFillsBothSlots) {
  CommitNotifier n(0);
  auto w = n.Expect({"a", "a"});
  n.Published(Block(1, {MakeReceipt("a", 1, 0)}));
  EXPECT_TRUE(w->receipts()[0].has_value());
  EXPECT_TRUE(w->receipts()[1].has_value());
  EXPECT_TRUE(n.Wait(w, Clock::now()));
}

TEST(CommitNotifier, ShutdownWakesWaitAndLaterWaitsReturnAtOnce) {
  CommitNotifier n(0);
  auto w = n.Expect({"a"});
  auto result = std::async(std::launch::async, [&] { return n.Wait(w, Far()); });
  std::this_thread::sleep_for(20ms);
  const auto start = Clock::now();
  n.Shutdown();
  ASSERT_EQ(result.wait_for(5s), std::future_status::ready);
  EXPECT_FALSE(result.get());
  EXPECT_LT(Clock::now() - start, 5s);
  EXPECT_TRUE(n.shutting_down());

  auto w2 = n.Expect({"b"});
  const auto again = Clock::now();
  EXPECT_FALSE(n.Wait(w2, Far()));
  EXPECT_LT(Clock::now() - again, 5s);
}

TEST(CommitNotifier, WaitBeyondReturnsAtOnceWhenAlreadyBeyond) {
  CommitNotifier n(4);
  EXPECT_EQ(n.WaitBeyond(3, Far()), 4u);
}

TEST(CommitNotifier, WaitBeyondWakesOnPublished) {
  CommitNotifier n(4);
  auto height = std::async(std::launch::async, [&] { return n.WaitBeyond(4, Far()); });
  std::this_thread::sleep_for(20ms);
  n.Published(Block(5, {}));
  ASSERT_EQ(height.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(height.get(), 5u);
}

TEST(CommitNotifier, WaitBeyondIgnoresPublishesNotBeyond) {
  CommitNotifier n(4);
  std::atomic<bool> done{false};
  auto height = std::async(std::launch::async, [&] {
    const uint64_t h = n.WaitBeyond(5, Far());
    done = true;
    return h;
  });
  n.Published(Block(5, {}));
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(done.load()) << "height 5 is not beyond 5";
  n.Published(Block(6, {}));
  ASSERT_EQ(height.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(height.get(), 6u);
}

TEST(CommitNotifier, WaitBeyondTimesOutWithCurrentHeight) {
  CommitNotifier n(4);
  const auto start = Clock::now();
  EXPECT_EQ(n.WaitBeyond(4, start + 30ms), 4u);
  EXPECT_GE(Clock::now() - start, 30ms);
}

TEST(CommitNotifier, WaitBeyondWakesOnShutdown) {
  CommitNotifier n(4);
  auto height = std::async(std::launch::async, [&] { return n.WaitBeyond(4, Far()); });
  std::this_thread::sleep_for(20ms);
  n.Shutdown();
  ASSERT_EQ(height.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(height.get(), 4u);
  const auto start = Clock::now();
  EXPECT_EQ(n.WaitBeyond(4, Far()), 4u);
  EXPECT_LT(Clock::now() - start, 5s);
}

TEST(CommitNotifier, ManySubmittersAcrossManyBlocks) {
  CommitNotifier n(0);
  constexpr int kSubmitters = 8;
  constexpr int kPerSubmitter = 5;
  std::vector<std::shared_ptr<CommitNotifier::Waiter>> waiters;
  for (int s = 0; s < kSubmitters; ++s) {
    std::vector<Bytes> ids;
    for (int i = 0; i < kPerSubmitter; ++i)
      ids.push_back(std::to_string(s) + "/" + std::to_string(i));
    waiters.push_back(n.Expect(ids));
  }
  std::vector<std::future<bool>> results;
  for (const auto& w : waiters) {
    results.push_back(std::async(std::launch::async, [&n, w] { return n.Wait(w, Far()); }));
  }
  // One block per event index; each block carries every submitter's i-th event.
  for (int i = 0; i < kPerSubmitter; ++i) {
    std::vector<v1::Receipt> block;
    for (int s = 0; s < kSubmitters; ++s) {
      block.push_back(MakeReceipt(std::to_string(s) + "/" + std::to_string(i),
                                  static_cast<uint64_t>(i + 1), static_cast<uint32_t>(s)));
    }
    n.Published(Block(static_cast<uint64_t>(i + 1), block));
  }
  for (auto& r : results) {
    ASSERT_EQ(r.wait_for(5s), std::future_status::ready);
    EXPECT_TRUE(r.get());
  }
  EXPECT_EQ(n.height(), static_cast<uint64_t>(kPerSubmitter));
}

}  // namespace
}  // namespace shipledger::rpc

namespace shipledger::rpc {
namespace {

// DESIGN §10 fan-out: Watch streams take recent blocks from the ring; older ones come from the
// store (Recent answers nullptr).
TEST(CommitNotifierRing, KeepsTheLastBlocksPublished) {
  CommitNotifier n(10, /*ring_blocks=*/3);
  EXPECT_EQ(n.Recent(10), nullptr);  // blocks stored before the node started are not in it
  for (uint64_t h = 11; h <= 15; ++h)
    n.Published(Block(h, {MakeReceipt("e" + std::to_string(h), h, 0)}));
  EXPECT_EQ(n.height(), 15u);
  for (uint64_t h : {10u, 11u, 12u, 16u}) EXPECT_EQ(n.Recent(h), nullptr) << h;
  for (uint64_t h : {13u, 14u, 15u}) {
    const auto b = n.Recent(h);
    ASSERT_NE(b, nullptr) << h;
    EXPECT_EQ(b->height(), h);
    EXPECT_EQ(b->receipts().at(0).event_id(), "e" + std::to_string(h));
  }
}

TEST(CommitNotifierRing, ARingOfNoBlocksKeepsNone) {
  CommitNotifier n(0, /*ring_blocks=*/0);
  n.Published(Block(1, {MakeReceipt("a", 1, 0)}));
  EXPECT_EQ(n.height(), 1u);
  EXPECT_EQ(n.Recent(1), nullptr);
}

}  // namespace
}  // namespace shipledger::rpc
