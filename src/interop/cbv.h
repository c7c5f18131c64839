// GS1 Core Business Vocabulary 2.0: the bare words EPCIS 2.0 JSON-LD allows for bizStep,
// disposition, business transaction and source/destination types, sensor measurement types and
// alerts and coordinate components, and the URIs they stand for (CBV 2.0 §7; the EPCIS 2.0
// JSON-LD context maps each word to its URI).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace shipledger::interop {

enum class Vocabulary {
  kNone,
  kBizStep,                // https://ref.gs1.org/cbv/BizStep-<word>
  kDisposition,            // https://ref.gs1.org/cbv/Disp-<word>
  kBizTransactionType,     // https://ref.gs1.org/cbv/BTT-<word>
  kSourceDestinationType,  // https://ref.gs1.org/cbv/SDT-<word>
  kErrorReason,            // https://ref.gs1.org/cbv/ER-<word>
  kMeasurement,            // https://ref.gs1.org/voc/<word> (sensor types and alerts)
  kComponent,              // https://ref.gs1.org/cbv/Comp-<word>
};

// The URI of `word` when it is one of `vocabulary`'s bare words; nullopt otherwise (a URI, a
// CURIE or a word the vocabulary does not have).
std::optional<std::string> ExpandBareWord(Vocabulary vocabulary, std::string_view word);
// Whether `word` is a bare word of `vocabulary`.
bool IsBareWord(Vocabulary vocabulary, std::string_view word);
// The CBV 1.x URN forms (urn:epcglobal:cbv:bizstep:, :disp:, :btt:, :sdt:, :er:) rewritten to
// their web URIs anywhere in `text` (business transaction ids, urn:epcglobal:cbv:bt:, are not
// vocabulary and stay).
std::string CbvUrnToWebUri(std::string_view text);

}  // namespace shipledger::interop
