// Fuzz target: the peer stream's frame decoder (net/frame.h), fed the stream in pieces.
// Input: a frame limit, then the stream cut into pieces, both chosen by FuzzedDataProvider.
// Checks, besides the sanitizers: the frames and the error match a one-pass reference parse of
// the whole stream, no matter how it was cut; a failed decoder stays failed; what is buffered
// is exactly the incomplete tail.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "net/frame.h"

namespace {

using shipledger::ByteView;
using shipledger::GetU32BE;
using shipledger::net::FrameDecoder;
using shipledger::net::kFrameHeaderBytes;

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "frame_fuzz: %s\n", what);
  std::abort();
}

struct Reference {
  std::vector<std::string> frames;
  bool failed = false;
  size_t tail = 0;  // bytes after the last complete frame (when not failed)
};

Reference Parse(ByteView stream, uint32_t limit) {
  Reference r;
  size_t at = 0;
  while (stream.size() - at >= kFrameHeaderBytes) {
    const uint32_t length = GetU32BE(stream.substr(at));
    if (length > limit) {
      r.failed = true;
      return r;
    }
    if (stream.size() - at - kFrameHeaderBytes < length) break;
    r.frames.emplace_back(stream.substr(at + kFrameHeaderBytes, length));
    at += kFrameHeaderBytes + length;
  }
  r.tail = stream.size() - at;
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  const uint32_t limit = input.ConsumeBool() ? input.ConsumeIntegralInRange<uint32_t>(0, 64)
                                             : input.ConsumeIntegral<uint32_t>();
  FrameDecoder decoder(limit);
  std::string stream;
  std::vector<std::string> frames;
  bool failed = false;
  while (input.remaining_bytes() > 0) {
    const size_t piece_size = input.ConsumeIntegralInRange<size_t>(0, 300);
    const std::string piece = input.ConsumeBytesAsString(piece_size);
    stream += piece;
    const size_t before = frames.size();
    const shipledger::Status s = decoder.Feed(piece, &frames);
    if (failed) {
      Require(!s.ok() && frames.size() == before, "a failed decoder accepted more bytes");
    }
    failed = !s.ok();
    Require(failed == decoder.failed(), "Feed's status and failed() disagree");
  }
  const Reference want = Parse(stream, limit);
  Require(failed == want.failed, "error differs from the reference parse");
  // When failed: the frames before the bad header were delivered, none after it.
  Require(frames == want.frames, "frames differ from the reference parse");
  if (failed) return 0;
  Require(decoder.buffered_bytes() == want.tail, "buffered bytes differ from the incomplete tail");
  std::string encoded;
  for (const auto& f : frames) encoded += shipledger::net::EncodeFrame(f);
  Require(encoded == stream.substr(0, stream.size() - want.tail),
          "re-encoding the frames does not give the stream back");
  return 0;
}
