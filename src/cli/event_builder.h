// Building and signing events for `shipledger event submit`: from command-line flags or from a
// JSON shipledger.v1.Event, then the fields only the CLI knows (chain id, signer and
// co-signer organisations, time, nonce), then the signer's signature over the exact bytes and
// each co-signer's signature over the event id (DESIGN §4).
// Thread-safety: free functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/identity.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::cli {

// The event flags of `event submit`, as typed.
struct EventFlags {
  std::string shipment_id;
  std::string type;                     // snake_case, e.g. "export_customs_declared"
  std::string location;                 // UN/LOCODE
  std::vector<std::string> references;  // KIND=VALUE
  std::vector<std::string> details;     // KEY=VALUE
  std::vector<std::string> parties;     // organisation ids (booked)
  std::string time;                     // ISO-8601 or Unix ms; empty: now
};

// The tracking-code flags of `event submit` (docs/tracking.md).
struct TrackingCodeFlags {
  std::string code;   // --tracking-code: the client's own code; empty: generate one
  bool none = false;  // --no-tracking-code
};

// Splits "KEY=VALUE" at the first '='. INVALID_ARGUMENT naming `flag` and showing `example`
// when there is no '=' or either side is empty.
Result<std::pair<std::string, std::string>> ParseKeyValue(std::string_view text,
                                                          std::string_view flag,
                                                          std::string_view example);

// The event type of a snake_case name; INVALID_ARGUMENT listing every valid name otherwise.
Result<v1::EventType> ParseEventTypeName(std::string_view name);

// An event from flags, without the fields FillEvent adds. INVALID_ARGUMENT on a missing
// shipment or type, an unknown type, a malformed --ref/--detail or --time.
Result<v1::Event> EventFromFlags(const EventFlags& flags);

// An event from the proto3 JSON of shipledger.v1.Event. Beyond standard proto JSON it accepts
// a snake_case "type" ("handover") and hex document hashes. INVALID_ARGUMENT with the parser's
// message on anything else.
Result<v1::Event> EventFromJson(std::string_view json);

// Fills what is absent: chain_id, signer_org (the signer certificate's organisation),
// cosigner_orgs (the co-signers' organisations, in order), occurred_at_ms (`now_ms`) and a
// fresh 16-byte random nonce. INVALID_ARGUMENT when a present signer_org is not the signer's,
// or the co-signer identities do not match the event's cosigner_orgs one to one.
Status FillEvent(v1::Event* event, std::string_view chain_id, const config::Identity& signer,
                 const std::vector<config::Identity>& cosigners, int64_t now_ms);

// Gives a booked event a public tracking code (DESIGN §8): sets tracking_hash to
// model::TrackingHash of the code and returns the code to show once to the booking client —
// flags.code when given, else a fresh code of model::kTrackingCodeRandomBytes random bytes.
// Returns "" (event unchanged) for --no-tracking-code, for an event that is not a booking, and
// for one that already carries a tracking_hash (from --file). INVALID_ARGUMENT when flags.code
// is not well-formed (fewer than 128 bits possible), or is given for an event that is not a
// booking or already has a tracking_hash.
Result<std::string> AttachTrackingCode(v1::Event* event, const TrackingCodeFlags& flags);

// Serialises `event` and signs it: signature = signer over EventSigningMessage(bytes);
// co-signatures, ordered as event.cosigner_orgs, over CosignMessage(EventId(bytes)).
// REQUIRES: FillEvent succeeded for the same event and identities.
Result<v1::SignedEvent> SignEvent(const v1::Event& event, const config::Identity& signer,
                                  const std::vector<config::Identity>& cosigners);

}  // namespace shipledger::cli
