#include "cli/event_builder.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>

#include "cli/output.h"
#include "model/event.h"
#include "model/tracking_code.h"
#include "shipledger/bytes.h"

namespace shipledger::cli {

namespace pb = google::protobuf;

namespace {

constexpr size_t kNonceBytes = 16;

// Replaces a snake_case "type" and hex document hashes with their proto JSON forms.
void NormaliseEventJson(pb::Struct* root) {
  auto& fields = *root->mutable_fields();
  if (auto it = fields.find("type"); it != fields.end() && it->second.has_string_value()) {
    if (auto type = model::ParseEventType(it->second.string_value())) {
      it->second.set_string_value(v1::EventType_Name(*type));
    }
  }
  auto docs = fields.find("documents");
  if (docs == fields.end() || !docs->second.has_list_value()) return;
  for (auto& doc : *docs->second.mutable_list_value()->mutable_values()) {
    if (!doc.has_struct_value()) continue;
    auto& doc_fields = *doc.mutable_struct_value()->mutable_fields();
    auto hash = doc_fields.find("sha256");
    if (hash == doc_fields.end() || !hash->second.has_string_value()) continue;
    const std::string& text = hash->second.string_value();
    if (text.size() != 64) continue;  // base64 of 32 bytes has 44 characters
    if (auto raw = FromHex(text)) {
      // Proto JSON reads bytes as base64; re-encode the hex digest that way.
      std::string base64(4 * ((raw->size() + 2) / 3) + 1, '\0');
      const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(base64.data()),
                                    reinterpret_cast<const unsigned char*>(raw->data()),
                                    static_cast<int>(raw->size()));
      base64.resize(static_cast<size_t>(n));
      hash->second.set_string_value(base64);
    }
  }
}

}  // namespace

Result<std::pair<std::string, std::string>> ParseKeyValue(std::string_view text,
                                                          std::string_view flag,
                                                          std::string_view example) {
  const size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    return Status::InvalidArgument(std::string(flag) + " expects KEY=VALUE (e.g. " +
                                   std::string(flag) + " " + std::string(example) + "), got '" +
                                   std::string(text) + "'");
  }
  return std::make_pair(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
}

Result<v1::EventType> ParseEventTypeName(std::string_view name) {
  if (auto type = model::ParseEventType(name)) return *type;
  std::vector<std::string> names;
  for (v1::EventType t : model::AllEventTypes()) names.push_back(model::EventTypeName(t));
  return Status::InvalidArgument("unknown event type '" + std::string(name) +
                                 "'; valid types: " + Join(names, ", "));
}

Result<v1::Event> EventFromFlags(const EventFlags& flags) {
  if (flags.type.empty()) {
    return Status::InvalidArgument("--type TYPE is required (or give the event with --file)");
  }
  SL_ASSIGN_OR_RETURN(v1::EventType type, ParseEventTypeName(flags.type));
  // A revocation names no shipment: ApplyContractFlags derives its id from the fingerprint.
  if (flags.shipment_id.empty() && type != v1::EVENT_TYPE_CERTIFICATE_REVOCATION) {
    return Status::InvalidArgument("--shipment ID is required (or give the event with --file)");
  }
  v1::Event event;
  event.set_shipment_id(flags.shipment_id);
  event.set_type(type);
  event.set_location(flags.location);
  for (const auto& text : flags.references) {
    SL_ASSIGN_OR_RETURN(auto kv, ParseKeyValue(text, "--ref", "booking=BK-2026-001"));
    auto* ref = event.add_references();
    ref->set_kind(kv.first);
    ref->set_value(kv.second);
  }
  for (const auto& text : flags.details) {
    SL_ASSIGN_OR_RETURN(auto kv, ParseKeyValue(text, "--detail", "vessel=MAERSK-ESSEX"));
    auto* detail = event.add_details();
    detail->set_key(kv.first);
    detail->set_value(kv.second);
  }
  for (const auto& party : flags.parties) event.add_parties(party);
  if (!flags.time.empty()) {
    SL_ASSIGN_OR_RETURN(int64_t ms, ParseTime(flags.time));
    event.set_occurred_at_ms(ms);
  }
  return event;
}

Result<v1::Event> EventFromJson(std::string_view json) {
  pb::Struct root;
  auto parsed = pb::util::JsonStringToMessage(std::string(json), &root);
  if (!parsed.ok()) {
    return Status::InvalidArgument("event file is not a JSON object: " +
                                   std::string(parsed.message()));
  }
  NormaliseEventJson(&root);
  std::string normalised;
  if (!pb::util::MessageToJsonString(root, &normalised).ok()) {
    return Status::Internal("cannot re-encode the event JSON");
  }
  v1::Event event;
  parsed = pb::util::JsonStringToMessage(normalised, &event);
  if (!parsed.ok()) {
    return Status::InvalidArgument("event file is not a shipledger.v1.Event: " +
                                   std::string(parsed.message()));
  }
  return event;
}

Status FillEvent(v1::Event* event, std::string_view chain_id, const config::Identity& signer,
                 const std::vector<config::Identity>& cosigners, int64_t now_ms) {
  if (event->chain_id().empty()) event->set_chain_id(std::string(chain_id));
  const std::string org = signer.org();
  if (event->signer_org().empty()) {
    event->set_signer_org(org);
  } else if (event->signer_org() != org) {
    return Status::InvalidArgument("the event says it is signed by '" + event->signer_org() +
                                   "' but the identity belongs to '" + org + "'");
  }
  std::vector<std::string> cosigner_orgs;
  for (const auto& c : cosigners) cosigner_orgs.push_back(c.org());
  if (event->cosigner_orgs().empty()) {
    for (const auto& c : cosigner_orgs) event->add_cosigner_orgs(c);
  } else {
    std::vector<std::string> wanted(event->cosigner_orgs().begin(), event->cosigner_orgs().end());
    std::vector<std::string> have = cosigner_orgs;
    std::sort(wanted.begin(), wanted.end());
    std::sort(have.begin(), have.end());
    if (wanted != have) {
      return Status::InvalidArgument("the event requires co-signatures of [" + Join(wanted, ", ") +
                                     "] but --cosigner identities are of [" + Join(have, ", ") +
                                     "]: give one --cosigner DIR per required organisation");
    }
  }
  if (event->occurred_at_ms() == 0) event->set_occurred_at_ms(now_ms);
  if (event->nonce().empty()) {
    std::string nonce(kNonceBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), kNonceBytes) != 1) {
      return Status::Internal("cannot draw random bytes for the nonce (OpenSSL RAND_bytes)");
    }
    event->set_nonce(nonce);
  }
  return Status::Ok();
}

Result<std::string> AttachTrackingCode(v1::Event* event, const TrackingCodeFlags& flags) {
  const bool booking = event->type() == v1::EVENT_TYPE_BOOKED;
  if (!flags.code.empty()) {
    if (!booking) return Status::InvalidArgument("--tracking-code is for booked events only");
    if (!event->tracking_hash().empty()) {
      return Status::InvalidArgument(
          "the event file already has a tracking_hash; drop it or "
          "--tracking-code");
    }
    const std::string canonical = model::CanonicalTrackingCode(flags.code);
    if (!model::IsWellFormedTrackingCode(canonical)) {
      return Status::InvalidArgument(
          "--tracking-code must be " + std::to_string(model::kMinTrackingCodeChars) + ".." +
          std::to_string(model::kMaxTrackingCodeChars) +
          " characters of A-Z and 0-9 (dashes and spaces ignored, case ignored), so that it can "
          "hold 128 random bits; leave it out to have one generated");
    }
    event->set_tracking_hash(model::TrackingHash(canonical));
    return flags.code;
  }
  if (flags.none || !booking || !event->tracking_hash().empty()) return std::string();
  Bytes random(model::kTrackingCodeRandomBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(random.data()),
                 static_cast<int>(random.size())) != 1) {
    return Status::Internal("cannot draw random bytes for the tracking code (OpenSSL RAND_bytes)");
  }
  const std::string code = model::FormatTrackingCode(random);
  event->set_tracking_hash(model::TrackingHash(model::CanonicalTrackingCode(code)));
  return code;
}

Result<v1::SignedEvent> SignEvent(const v1::Event& event, const config::Identity& signer,
                                  const std::vector<config::Identity>& cosigners) {
  // Co-signatures go in the order of event.cosigner_orgs, whatever the order of the flags.
  std::vector<model::SigningKey> ordered;
  std::vector<bool> used(cosigners.size(), false);
  for (const std::string& org : event.cosigner_orgs()) {
    size_t i = 0;
    while (i < cosigners.size() && (used[i] || cosigners[i].org() != org)) ++i;
    if (i == cosigners.size()) {
      return Status::InvalidArgument("no --cosigner identity of organisation '" + org + "'");
    }
    used[i] = true;
    ordered.push_back(model::SigningKey{&cosigners[i].cert, &cosigners[i].key});
  }
  return model::SignEvent(event, model::SigningKey{&signer.cert, &signer.key}, ordered);
}

}  // namespace shipledger::cli
