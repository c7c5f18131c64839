#include "shipledger/bytes.h"

namespace shipledger {

std::string ToHex(ByteView data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.resize(data.size() * 2);
  for (size_t i = 0; i < data.size(); ++i) {
    const auto b = static_cast<uint8_t>(data[i]);
    out[2 * i] = kDigits[b >> 4];
    out[2 * i + 1] = kDigits[b & 0x0f];
  }
  return out;
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<Bytes> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  Bytes out;
  out.resize(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>((hi << 4) | lo);
  }
  return out;
}

void PutU64BE(Bytes* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out->push_back(static_cast<char>((v >> shift) & 0xff));
}

void PutU32BE(Bytes* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out->push_back(static_cast<char>((v >> shift) & 0xff));
}

uint64_t GetU64BE(ByteView data) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(data[i]);
  return v;
}

uint32_t GetU32BE(ByteView data) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(data[i]);
  return v;
}

void PutLengthPrefixed(Bytes* out, ByteView data) {
  PutU32BE(out, static_cast<uint32_t>(data.size()));
  out->append(data);
}

bool ByteReader::ReadU64(uint64_t* v) {
  if (data_.size() < 8) return false;
  *v = GetU64BE(data_);
  data_.remove_prefix(8);
  return true;
}

bool ByteReader::ReadU32(uint32_t* v) {
  if (data_.size() < 4) return false;
  *v = GetU32BE(data_);
  data_.remove_prefix(4);
  return true;
}

bool ByteReader::ReadBytes(size_t n, ByteView* v) {
  if (data_.size() < n) return false;
  *v = data_.substr(0, n);
  data_.remove_prefix(n);
  return true;
}

bool ByteReader::ReadLengthPrefixed(ByteView* v) {
  if (data_.size() < 4) return false;
  const uint32_t n = GetU32BE(data_);
  if (data_.size() - 4 < n) return false;
  *v = data_.substr(4, n);
  data_.remove_prefix(4 + static_cast<size_t>(n));
  return true;
}

}  // namespace shipledger
