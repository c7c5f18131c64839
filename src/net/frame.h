// Framing of the peer stream: every message is a u32 big-endian payload length followed by the
// payload. A header announcing more than the receiver's limit is a protocol error.
// Thread-safety: FrameDecoder is not thread-safe (one per connection, used on its io thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "shipledger/bytes.h"
#include "shipledger/status.h"

namespace shipledger::net {

inline constexpr size_t kFrameHeaderBytes = 4;

// header ‖ payload. REQUIRES: payload.size() < 2^32.
std::string EncodeFrame(ByteView payload);

// Reassembles frames from a byte stream delivered in arbitrary pieces.
class FrameDecoder {
 public:
  explicit FrameDecoder(uint32_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}

  // Consumes `data` and appends the payload of every frame it completes to `*frames`, in
  // order. OUT_OF_RANGE when a header announces more than max_frame_bytes; the decoder then
  // stays failed (every later call returns the same error) and the connection must be closed.
  Status Feed(ByteView data, std::vector<std::string>* frames);

  // Bytes held that belong to a frame not yet complete.
  size_t buffered_bytes() const { return buffer_.size() - consumed_; }
  bool failed() const { return !error_.ok(); }

 private:
  uint32_t max_frame_bytes_;
  std::string buffer_;
  size_t consumed_ = 0;  // bytes of buffer_ already returned as frames
  Status error_;
};

}  // namespace shipledger::net
