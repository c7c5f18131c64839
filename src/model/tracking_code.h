// Public tracking codes (DESIGN §8, docs/tracking.md). The booking client draws a code of at
// least 128 random bits and gives it to the end customer; the booked event carries only
// TrackingHash(code). A code is written in groups for typing ("K7QX-2M4B-..."); its canonical
// form, the one hashed, is upper case without separators, so a customer may type it in either
// case, with or without the dashes.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "shipledger/bytes.h"

namespace shipledger::model {

inline constexpr std::string_view kTrackDomain = "shipledger/track/v1";
// Random bytes in a generated code: 160 bits, 32 base32 characters.
inline constexpr size_t kTrackingCodeRandomBytes = 20;
// A canonical code has kMinTrackingCodeChars..kMaxTrackingCodeChars characters of A-Z 0-9:
// 25 characters of a 36-symbol alphabet hold at most 25 * log2(36) = 129 bits, the least that
// can hold the 128 random bits a code must have.
inline constexpr size_t kMinTrackingCodeChars = 25;
inline constexpr size_t kMaxTrackingCodeChars = 64;

// `typed` with '-' and ' ' removed and a-z made upper case; other characters are kept (and make
// the result ill-formed). Never fails, so a malformed code is hashed like any other.
std::string CanonicalTrackingCode(std::string_view typed);
// True when `canonical` (as CanonicalTrackingCode returns it) has kMinTrackingCodeChars..
// kMaxTrackingCodeChars characters, all A-Z or 0-9. This checks length and alphabet only: it
// cannot tell a random code from "AAAA...", which is why the CLI makes the codes itself.
bool IsWellFormedTrackingCode(std::string_view canonical);
// SHA-256(kTrackDomain ‖ canonical code): what a booked event's tracking_hash holds.
Bytes TrackingHash(std::string_view canonical);
// The printed form of a generated code: `random` in RFC 4648 base32 (A-Z 2-7, no padding; no 0,
// 1 or 8 to mistake for O, I or B) in groups of four joined by '-'.
std::string FormatTrackingCode(ByteView random);

}  // namespace shipledger::model
