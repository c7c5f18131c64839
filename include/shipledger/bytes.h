// Byte strings and the canonical encodings used under hashes and signatures.
// Bytes are std::string (as in protobuf); views are std::string_view.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shipledger {

using Bytes = std::string;
using ByteView = std::string_view;

// Lower-case hex of `data`.
std::string ToHex(ByteView data);
// Parses hex (either case). Returns nullopt on odd length or a non-hex character.
std::optional<Bytes> FromHex(std::string_view hex);

// Appends `v` as 8 big-endian bytes (sortable RocksDB keys, hashed integers).
void PutU64BE(Bytes* out, uint64_t v);
void PutU32BE(Bytes* out, uint32_t v);
// Reads 8 / 4 big-endian bytes at data[0..]. REQUIRES: data.size() >= 8 / 4.
uint64_t GetU64BE(ByteView data);
uint32_t GetU32BE(ByteView data);
// Appends u32 BE length then the bytes: an unambiguous concatenation of variable fields.
void PutLengthPrefixed(Bytes* out, ByteView data);

// Reads fields written by PutU64BE / PutU32BE / PutLengthPrefixed, in order. Every getter
// returns false (and consumes nothing) when the input is too short.
class ByteReader {
 public:
  explicit ByteReader(ByteView data) : data_(data) {}
  bool ReadU64(uint64_t* v);
  bool ReadU32(uint32_t* v);
  bool ReadLengthPrefixed(ByteView* v);
  bool ReadBytes(size_t n, ByteView* v);
  bool empty() const { return data_.empty(); }
  size_t remaining() const { return data_.size(); }

 private:
  ByteView data_;
};

}  // namespace shipledger
