// A bounded FIFO of encoded frames waiting to be written to one peer. When full, new frames are
// refused (the caller counts them as dropped) rather than blocking: one slow or absent peer never
// stalls sends to the others.
// Thread-safety: thread-safe (internal mutex); producers on any thread, the writer on the io
// thread.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>

namespace shipledger::net {

class SendQueue {
 public:
  SendQueue(size_t max_bytes, size_t max_frames) : max_bytes_(max_bytes), max_frames_(max_frames) {}

  // Appends `frame`. Returns false (and keeps nothing) when it would exceed either limit.
  bool Push(std::string frame);
  // Moves frames from the front into `*out` (appended back to back) until adding the next one
  // would pass `max_batch_bytes`; always takes at least one frame when any is queued. Returns
  // how many frames were taken.
  size_t PopBatch(size_t max_batch_bytes, std::string* out);
  void Clear();

  size_t bytes() const;
  size_t frames() const;

 private:
  const size_t max_bytes_;
  const size_t max_frames_;
  mutable std::mutex mu_;
  std::deque<std::string> frames_;  // GUARDED_BY(mu_)
  size_t bytes_ = 0;                // GUARDED_BY(mu_)
};

}  // namespace shipledger::net
