// The CBV 2.0 EPCIS Event Hash ID: a fingerprint of an EPCIS event that does not depend on how
// the event is written (XML or JSON-LD, key order, URNs or Digital Link URIs, bare CBV words or
// their URIs, local time or UTC), so that anyone holding the event can recompute its id
// ("ni:///sha-256;<hex>?ver=CBV2.0"). The event is flattened into a pre-hash string: its fields
// in the standard's canonical order as name=value pieces without separators, each value in its
// canonical form, lists sorted, then ILMD and user extensions; `eventID`, `recordTime` and
// `errorDeclaration` are left out, so a later error declaration does not change the id.
// docs/interop.md says where this follows GS1's reference implementation and where it does not.
// Thread-safety: pure functions.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "shipledger/status.h"

namespace shipledger::interop {

// A JSON-LD @context's prefixes ("sl" -> "https://shipledger.example/ns/"), with the standard
// ones (gs1, cbv, epcis, cbvmda) always present and not overridable.
using Namespaces = std::map<std::string, std::string, std::less<>>;
// From an EPCISDocument's @context (a string, an object or an array of both).
Namespaces NamespacesOf(const google::protobuf::Value& context);

// The pre-hash string of one event, given as its JSON-LD object. INVALID_ARGUMENT unless `type`
// is ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent or AssociationEvent.
Result<std::string> EventPreHash(const google::protobuf::Struct& event,
                                 const Namespaces& namespaces);
// "ni:///sha-256;<64 lower-case hex digits of SHA-256(pre_hash)>?ver=CBV2.0".
std::string HashIdOfPreHash(std::string_view pre_hash);
Result<std::string> EventHashId(const google::protobuf::Struct& event,
                                const Namespaces& namespaces);

// "2026-03-01T10:00:00.000Z": a Unix ms time as EPCIS writes it: UTC, four digits of year,
// always three digits of millisecond.
std::string EpcisTime(int64_t unix_ms);

// The canonical forms the pre-hash uses, exposed for tests and the mapping:
// an event time as UTC with exactly three fractional digits, rounded half up
// ("2026-03-01T10:00:00.1235+01:00" -> "2026-03-01T09:00:00.124Z"); nullopt if unreadable.
std::optional<std::string> CanonicalTime(std::string_view text);
// A number as GS1's reference writes it: integral values as integers ("200.0" -> "200",
// "007" -> "7"), others without exponent or trailing zeros ("1.50" -> "1.5"); nullopt when
// `text` is not a finite decimal number.
std::optional<std::string> CanonicalNumber(std::string_view text);
// Any other value: CBV URNs as web URIs, numbers canonical, GS1 keys as canonical Digital Link.
std::string CanonicalValue(std::string_view text);

}  // namespace shipledger::interop
