#include "net/send_queue.h"

namespace shipledger::net {

bool SendQueue::Push(std::string frame) {
  std::lock_guard lock(mu_);
  if (frames_.size() >= max_frames_ || frame.size() > max_bytes_ ||
      bytes_ > max_bytes_ - frame.size()) {
    return false;
  }
  bytes_ += frame.size();
  frames_.push_back(std::move(frame));
  return true;
}

size_t SendQueue::PopBatch(size_t max_batch_bytes, std::string* out) {
  std::lock_guard lock(mu_);
  size_t taken = 0;
  while (!frames_.empty()) {
    std::string& front = frames_.front();
    if (taken > 0 && out->size() + front.size() > max_batch_bytes) break;
    bytes_ -= front.size();
    if (out->empty()) {
      *out = std::move(front);
    } else {
      out->append(front);
    }
    frames_.pop_front();
    ++taken;
  }
  return taken;
}

void SendQueue::Clear() {
  std::lock_guard lock(mu_);
  frames_.clear();
  bytes_ = 0;
}

size_t SendQueue::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

size_t SendQueue::frames() const {
  std::lock_guard lock(mu_);
  return frames_.size();
}

}  // namespace shipledger::net
