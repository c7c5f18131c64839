#include "model/tracking_code.h"

#include "crypto/sha256.h"

namespace shipledger::model {

std::string CanonicalTrackingCode(std::string_view typed) {
  std::string out;
  out.reserve(typed.size());
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

bool IsWellFormedTrackingCode(std::string_view canonical) {
  if (canonical.size() < kMinTrackingCodeChars || canonical.size() > kMaxTrackingCodeChars) {
    return false;
  }
  for (char c : canonical) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

Bytes TrackingHash(std::string_view canonical) { return crypto::Sha256({kTrackDomain, canonical}); }

std::string FormatTrackingCode(ByteView random) {
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  constexpr size_t kGroup = 4;
  std::string out;
  size_t emitted = 0;
  auto emit = [&](uint32_t index) {
    if (emitted != 0 && emitted % kGroup == 0) out.push_back('-');
    out.push_back(kAlphabet[index & 31U]);
    ++emitted;
  };
  uint32_t buffer = 0;
  int bits = 0;
  for (char byte : random) {
    buffer = (buffer << 8) | static_cast<uint8_t>(byte);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      emit(buffer >> bits);
    }
    buffer &= (1U << bits) - 1;
  }
  if (bits > 0) emit(buffer << (5 - bits));
  return out;
}

}  // namespace shipledger::model
