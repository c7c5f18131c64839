// How each shipledger event type appears in GS1 EPCIS 2.0 / CBV 2.0 and in DCSA Track & Trace
// 2.2: one table, read by export and import alike (docs/interop.md, "Mapping").
// Thread-safety: immutable data and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "shipledger/v1/types.pb.h"

namespace shipledger::interop {

// shipledger's JSON-LD namespace: the extension fields of our exports (`sl:…`), and the URIs we
// give where CBV has no value. It ends in "/" so that the event hash ID places extensions inside
// standard fields as GS1's reference implementation does (docs/interop-notes.md §1.9).
inline constexpr std::string_view kLedgerNamespace = "https://ns.shipledger.org/epcis/";
inline constexpr std::string_view kLedgerPrefix = "sl";
// The EPCIS 2.0 JSON-LD context every document names first.
inline constexpr std::string_view kEpcisContext =
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

struct TypeMapping {
  v1::EventType type;
  // A CBV 2.0 bare word when `cbv_biz_step`, else a local name: the URI is
  // kLedgerNamespace + "BizStep-" + name.
  std::string_view biz_step;
  bool cbv_biz_step;
  std::string_view disposition;  // a CBV 2.0 bare word, or empty: none
  // DCSA T&T 2.2: eventType (SHIPMENT, TRANSPORT, EQUIPMENT; empty: no DCSA form), its type code
  // (shipmentEventTypeCode, transportEventTypeCode or equipmentEventTypeCode) and, for
  // SHIPMENT events, the documentTypeCode.
  std::string_view dcsa_event_type;
  std::string_view dcsa_code;
  std::string_view dcsa_document_type;
};

// A ledger event an export left out, and why.
struct Omission {
  std::string ledger_event_id;  // raw bytes
  uint64_t height = 0;
  uint32_t index = 0;
  v1::EventType type = v1::EVENT_TYPE_UNSPECIFIED;
  std::string why;
};

// The types that have an EPCIS form, in event type order. carrier_offer, carrier_withdrawal,
// leg_reassignment, certificate_revocation and party_added are the network's bookkeeping, not
// visibility events; error_declaration becomes the declared event's `errorDeclaration`.
std::span<const TypeMapping> TypeMappings();
// nullptr for a type without an EPCIS form.
const TypeMapping* MappingOf(v1::EventType type);
// The bizStep as exported: the bare CBV word, or our absolute URI.
std::string BizStepOf(const TypeMapping& mapping);
// The mapping whose bizStep is `biz_step`, written as a bare word, a CBV web URI or URN, or our
// URI; nullptr when none is.
const TypeMapping* MappingOfBizStep(std::string_view biz_step);
// Why `type` has no EPCIS form (for the export's list of what it left out).
std::string WhyNoEpcisForm(v1::EventType type);

// Percent-encodes everything but RFC 3986 unreserved characters, for a value placed in a URI
// path segment; PercentDecode reverses it (nullopt on a malformed escape, or when the result is
// not printable UTF-8: ledger text never holds control characters).
std::string PercentEncode(std::string_view text);
std::optional<std::string> PercentDecode(std::string_view text);
// UTF-8 without control characters (C0, DEL, C1), overlong forms or surrogates.
bool IsPrintableUtf8(std::string_view text);

// The URIs we give to what has no GS1 identifier: an organisation of the network
// (…/org/<name>), a UN/LOCODE (…/unlocode/<code>), a sensor device (…/device/<id>), and a
// reference of a kind (…/bt/<kind>/<value>). A device id or reference value that already is an
// absolute URI is kept as it is. IsAbsoluteUri: urn:, http: or https:, and no character a URI
// may not hold as it is (space, controls, quotes, <, >, \, {, }, |, ^, `).
std::string OrgUri(std::string_view org);
std::string LocationUri(std::string_view unlocode);
std::string DeviceUri(std::string_view device_id);
std::string ReferenceUri(std::string_view kind, std::string_view value);
bool IsAbsoluteUri(std::string_view text);

}  // namespace shipledger::interop
