// CommitNotifier: hands each committed block to waiting submitters and Watch streams (DESIGN
// §10 fan-out). The commit thread calls Published() after a block is durably stored, with the
// block as streams show it (CommittedBlock: events parsed once, receipts as certified): waiting
// submitters take their receipts from it, and it stays in a small ring of recent blocks, which
// Watch streams read instead of the store. A stream reads the store only when it has fallen
// behind the ring. The commit thread never waits on a reader: streams take blocks at their own
// pace, so a slow subscriber cannot stall commits.
// Thread-safety: all methods are thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "model/event.h"
#include "model/execution.h"
#include "shipledger/bytes.h"
#include "shipledger/v1/ledger.pb.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::rpc {

// A committed block as Watch streams and waiting submitters see it. The commit thread hands
// over what it holds (the events admission parsed, the receipts execution certified) at no
// cost; the entries streams show are built from them once, by the first stream that asks.
// Thread-safety: all methods are thread-safe.
class CommittedBlock {
 public:
  // From the commit thread: `block` (header) with its events and their receipts.
  CommittedBlock(const v1::Block& block, std::vector<model::EventPtr> events,
                 std::vector<v1::Receipt> receipts);
  // From the store (LoadCommittedBlock): the entries as read.
  CommittedBlock(uint64_t height, int64_t block_time_ms, Bytes block_hash,
                 std::vector<v1::TimelineEntry> entries);

  uint64_t height() const { return height_; }
  int64_t block_time_ms() const { return block_time_ms_; }
  const Bytes& block_hash() const { return block_hash_; }
  // The receipts as certified, in block order (the commit thread's blocks only; else empty).
  const std::vector<v1::Receipt>& receipts() const { return receipts_; }
  // One per event, in block order: the event, its co-signing organisations and its receipt as
  // the receipts root certifies it (a later copy's own DUPLICATE receipt).
  const std::vector<v1::TimelineEntry>& entries() const;

 private:
  uint64_t height_;
  int64_t block_time_ms_;
  Bytes block_hash_;
  std::vector<model::EventPtr> events_;
  std::vector<v1::Receipt> receipts_;
  mutable std::once_flag built_;
  mutable std::vector<v1::TimelineEntry> entries_;  // set once, under built_
};

class CommitNotifier {
 public:
  using Deadline = std::chrono::steady_clock::time_point;
  // Recent blocks kept for Watch streams: a stream at the head never reads the store. At 500
  // events of ~3 KiB held each (envelope, parsed event, entry once built), about 12 MiB.
  static constexpr size_t kDefaultRingBlocks = 8;

  explicit CommitNotifier(uint64_t height, size_t ring_blocks = kDefaultRingBlocks)
      : height_(height), ring_capacity_(ring_blocks) {}

  // A set of event ids whose receipts a submitter awaits.
  class Waiter {
   public:
    // Receipts in the order of the ids given to Expect; nullopt while not committed.
    const std::vector<std::optional<v1::Receipt>>& receipts() const { return receipts_; }

   private:
    friend class CommitNotifier;
    std::vector<Bytes> ids_;
    std::vector<std::optional<v1::Receipt>> receipts_;
    size_t missing_ = 0;
  };

  // Registers interest in `ids` (call before checking the store, so no commit is missed).
  std::shared_ptr<Waiter> Expect(const std::vector<Bytes>& ids);
  // Records a receipt found in the store for ids[i] of `waiter`.
  void Fill(Waiter& waiter, size_t i, v1::Receipt receipt);
  // Blocks until every id has a receipt, `deadline` passes or Shutdown(); then unregisters.
  // Returns true if all receipts arrived.
  bool Wait(const std::shared_ptr<Waiter>& waiter, Deadline deadline);

  // Called by the commit thread once `block` is durable (in height order): its receipts go to
  // the waiters, the block into the ring (the oldest leaves it when full), the height up.
  void Published(std::shared_ptr<const CommittedBlock> block);
  // Block `height` while it is in the ring, else nullptr (the caller reads the store).
  std::shared_ptr<const CommittedBlock> Recent(uint64_t height) const;

  uint64_t height() const;
  // Blocks until height() > `above`, `deadline` or Shutdown(); returns height().
  uint64_t WaitBeyond(uint64_t above, Deadline deadline);

  // Wakes every waiter; later waits return at once.
  void Shutdown();
  bool shutting_down() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t height_;                                                         // GUARDED_BY(mu_)
  bool shutdown_ = false;                                                   // GUARDED_BY(mu_)
  std::multimap<Bytes, std::pair<std::shared_ptr<Waiter>, size_t>> by_id_;  // GUARDED_BY(mu_)
  const size_t ring_capacity_;
  std::deque<std::shared_ptr<const CommittedBlock>> ring_;  // GUARDED_BY(mu_); ascending heights
};

}  // namespace shipledger::rpc
