// Events as signed by parties (DESIGN §4): ids, signing payloads, Merkle leaves, type names.
// AdmittedEvent is a SignedEvent that passed the stateless checks, parsed once and shared
// (immutable) between admission, ordering, execution and storage.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/enum_names.h"
#include "model/genesis.h"
#include "shipledger/bytes.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::model {

inline constexpr std::string_view kEventSignDomain = "shipledger/event/v1";
inline constexpr std::string_view kEventIdDomain = "shipledger/event-id/v1";
inline constexpr std::string_view kCosignDomain = "shipledger/cosign/v1";

// SHA-256(kEventIdDomain ‖ event_bytes): the event id (32 bytes).
Bytes EventId(ByteView event_bytes);
// kEventSignDomain ‖ event_bytes: what the signer signs.
Bytes EventSigningMessage(ByteView event_bytes);
// kCosignDomain ‖ event_id: what a co-signer signs.
Bytes CosignMessage(ByteView event_id);
// Canonical, unambiguous encoding of the whole envelope (event, signer certificate, signature,
// co-signatures in order) — independent of protobuf's encoder — and its Merkle leaf hash.
Bytes EnvelopeEncoding(const v1::SignedEvent& signed_event);
Bytes EventLeafHash(const v1::SignedEvent& signed_event);

// What a reader of stored events needs from a serialized v1::SignedEvent, as a view into its
// bytes: the event bytes and how many co-signatures there are. The certificates and
// signatures are skipped, not copied. nullopt when `wire` is not a well-formed SignedEvent.
struct SignedEventView {
  ByteView event;
  int cosignatures = 0;
};
std::optional<SignedEventView> ViewSignedEvent(ByteView wire);

// "booked", "export_customs_declared", ... ; nullopt for an unknown name.
std::optional<v1::EventType> ParseEventType(std::string_view snake_case);
std::vector<v1::EventType> AllEventTypes();

// A party's signing identity: its certificate and private key.
struct SigningKey {
  const crypto::Certificate* cert;
  const crypto::PrivateKey* key;
};

// Serialises `event` and signs it as a party does (DESIGN §4): the signer over
// EventSigningMessage(bytes), then each co-signer, in the given order (which must be the
// order of event.cosigner_orgs), over CosignMessage(EventId(bytes)).
Result<v1::SignedEvent> SignEvent(const v1::Event& event, SigningKey signer,
                                  const std::vector<SigningKey>& cosigners);

struct AdmittedEvent {
  Bytes id;  // EventId(signed_event.event())
  v1::SignedEvent signed_event;
  v1::Event event;  // parsed from signed_event.event()
  Bytes leaf_hash;  // EventLeafHash(signed_event)
  Role signer_role = Role::kExporter;
  std::vector<std::string> cosigned_by;  // organisations whose co-signatures verified
  // crypto::Certificate::fingerprint of the signer's certificate and of each co-signer's (in
  // cosigned_by order): revocations name them (DESIGN §3).
  Bytes signer_fingerprint;
  std::vector<Bytes> cosigner_fingerprints;
  bool signer_admin = false;  // the signer's certificate says OU=admin (model/admin.h)
  // When every certificate of the event (signer, co-signers, their CAs) is valid: a block may
  // carry the event only if its block time lies in this window (DESIGN §3: block time).
  int64_t valid_from_ms = INT64_MIN;
  int64_t valid_until_ms = INT64_MAX;
};
using EventPtr = std::shared_ptr<const AdmittedEvent>;

}  // namespace shipledger::model
