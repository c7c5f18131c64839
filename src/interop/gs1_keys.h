// GS1 keys in the two spellings EPCIS documents use: EPC URNs (urn:epc:id:sgtin:...) and GS1
// Digital Link URIs (https://id.gs1.org/01/...), brought to the one canonical form the CBV 2.0
// event hash takes: a Digital Link on id.gs1.org with AI numbers, GTINs of 14 digits, no query,
// no CPV, no lot beside a serial (GS1 Digital Link 1.2 "constrained" form; CBV 2.0 §8.9).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace shipledger::interop {

// The GS1 mod-10 check digit of `digits` (all 0-9), as a character.
char Gs1CheckDigit(std::string_view digits);

// The canonical Digital Link of an EPC URN: sgtin, sscc, sgln, grai, giai, gsrn, gdti, pgln
// (urn:epc:id:...) and the lot-level class lgtin (urn:epc:class:lgtin:...); nullopt for any
// other text (other schemes, e.g. bic and imovn, have no Digital Link and stay as they are).
std::optional<std::string> EpcUrnToDigitalLink(std::string_view urn);

// A Digital Link URI (any host, http or https, short names such as /gtin/ allowed) in its
// canonical form; nullopt when the path is not one of the key combinations the form allows
// (00, 01, 01+21, 01+10, 01+235, 253, 255, 401, 402, 414, 414+254, 417, 8003, 8004, 8006,
// 8006+21, 8006+10, 8010, 8010+8011, 8017, 8018).
std::optional<std::string> CanonicalDigitalLink(std::string_view uri);

}  // namespace shipledger::interop
