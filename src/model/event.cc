#include "model/event.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <cctype>

#include "crypto/merkle.h"
#include "crypto/sha256.h"

namespace shipledger::model {

Bytes EventId(ByteView event_bytes) { return crypto::Sha256({kEventIdDomain, event_bytes}); }

Bytes EventSigningMessage(ByteView event_bytes) {
  Bytes out;
  out.reserve(kEventSignDomain.size() + event_bytes.size());
  out.append(kEventSignDomain);
  out.append(event_bytes);
  return out;
}

Bytes CosignMessage(ByteView event_id) {
  Bytes out(kCosignDomain);
  out.append(event_id);
  return out;
}

std::optional<SignedEventView> ViewSignedEvent(ByteView wire) {
  using google::protobuf::internal::WireFormatLite;
  constexpr uint32_t kEventTag = (1 << 3) | WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
  constexpr uint32_t kCosignatureTag = (4 << 3) | WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
  const auto* begin = reinterpret_cast<const uint8_t*>(wire.data());
  google::protobuf::io::CodedInputStream in(begin, static_cast<int>(wire.size()));
  SignedEventView view;
  for (uint32_t tag = in.ReadTag(); tag != 0; tag = in.ReadTag()) {
    if (tag == kEventTag) {
      uint32_t length = 0;
      if (!in.ReadVarint32(&length)) return std::nullopt;
      const int at = in.CurrentPosition();
      if (!in.Skip(static_cast<int>(length))) return std::nullopt;
      // As in protobuf, the last occurrence of a singular field wins.
      view.event = wire.substr(static_cast<size_t>(at), length);
      continue;
    }
    if (tag == kCosignatureTag) ++view.cosignatures;
    if (!WireFormatLite::SkipField(&in, tag)) return std::nullopt;
  }
  // ReadTag returns 0 at the end and on a malformed tag; only the end is well-formed.
  if (in.CurrentPosition() != static_cast<int>(wire.size())) return std::nullopt;
  return view;
}

Bytes EnvelopeEncoding(const v1::SignedEvent& signed_event) {
  Bytes out;
  out.reserve(signed_event.event().size() + signed_event.signer_cert().size() + 128);
  PutLengthPrefixed(&out, signed_event.event());
  PutLengthPrefixed(&out, signed_event.signer_cert());
  PutLengthPrefixed(&out, signed_event.signature());
  PutU32BE(&out, static_cast<uint32_t>(signed_event.cosignatures_size()));
  for (const auto& c : signed_event.cosignatures()) {
    PutLengthPrefixed(&out, c.signer_cert());
    PutLengthPrefixed(&out, c.signature());
  }
  return out;
}

Bytes EventLeafHash(const v1::SignedEvent& signed_event) {
  return crypto::MerkleLeafHash(EnvelopeEncoding(signed_event));
}

Result<v1::SignedEvent> SignEvent(const v1::Event& event, SigningKey signer,
                                  const std::vector<SigningKey>& cosigners) {
  v1::SignedEvent out;
  if (!event.SerializeToString(out.mutable_event())) {
    return Status::Internal("cannot serialise the event");
  }
  out.set_signer_cert(signer.cert->der());
  SL_ASSIGN_OR_RETURN(Bytes signature, signer.key->Sign(EventSigningMessage(out.event())));
  out.set_signature(std::move(signature));
  const Bytes cosign_message = CosignMessage(EventId(out.event()));
  for (const SigningKey& c : cosigners) {
    SL_ASSIGN_OR_RETURN(Bytes cosignature, c.key->Sign(cosign_message));
    auto* cs = out.add_cosignatures();
    cs->set_signer_cert(c.cert->der());
    cs->set_signature(std::move(cosignature));
  }
  return out;
}

namespace {
constexpr std::string_view kTypePrefix = "EVENT_TYPE_";
}  // namespace

std::optional<v1::EventType> ParseEventType(std::string_view snake_case) {
  std::string upper(kTypePrefix);
  for (char c : snake_case)
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  v1::EventType type;
  if (!v1::EventType_Parse(upper, &type) || type == v1::EVENT_TYPE_UNSPECIFIED) {
    return std::nullopt;
  }
  return type;
}

std::vector<v1::EventType> AllEventTypes() {
  std::vector<v1::EventType> out;
  for (int i = v1::EventType_MIN; i <= v1::EventType_MAX; ++i) {
    if (v1::EventType_IsValid(i) && i != v1::EVENT_TYPE_UNSPECIFIED) {
      out.push_back(static_cast<v1::EventType>(i));
    }
  }
  return out;
}

}  // namespace shipledger::model
