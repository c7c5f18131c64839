#include "net/frame.h"

namespace shipledger::net {

std::string EncodeFrame(ByteView payload) {
  std::string out;
  out.reserve(kFrameHeaderBytes + payload.size());
  PutU32BE(&out, static_cast<uint32_t>(payload.size()));
  out.append(payload);
  return out;
}

Status FrameDecoder::Feed(ByteView data, std::vector<std::string>* frames) {
  if (!error_.ok()) return error_;
  buffer_.append(data);
  while (buffer_.size() - consumed_ >= kFrameHeaderBytes) {
    const ByteView rest = ByteView(buffer_).substr(consumed_);
    const uint32_t length = GetU32BE(rest);
    if (length > max_frame_bytes_) {
      error_ = Status::OutOfRange("frame of " + std::to_string(length) + " bytes exceeds limit " +
                                  std::to_string(max_frame_bytes_));
      buffer_.clear();
      consumed_ = 0;
      return error_;
    }
    if (rest.size() - kFrameHeaderBytes < length) break;
    frames->emplace_back(rest.substr(kFrameHeaderBytes, length));
    consumed_ += kFrameHeaderBytes + length;
  }
  // Drop the consumed prefix once per call, so a run of small frames costs linear time.
  buffer_.erase(0, consumed_);
  consumed_ = 0;
  return Status::Ok();
}

}  // namespace shipledger::net
