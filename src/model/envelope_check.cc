#include "model/envelope_check.h"

#include <algorithm>
#include <set>
#include <string>

#include "crypto/aead.h"
#include "crypto/ecdh.h"
#include "model/private_fields.h"

namespace shipledger::model {

namespace {

Status Invalid(std::string m) { return Status::InvalidArgument("private fields: " + std::move(m)); }

bool IsPrintable(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f; });
}

std::string Size(size_t n) { return std::to_string(n) + " bytes"; }

Status CheckField(const v1::PrivateField& f, const Limits& lim) {
  const std::string what = "field '" + f.name() + "'";
  if (f.commitment().size() != kCommitmentSize) {
    return Invalid(what + " commitment is " + Size(f.commitment().size()) + ", not 32");
  }
  if (f.iv().size() != crypto::kGcmIvSize) {
    return Invalid(what + " IV is " + Size(f.iv().size()) + ", not 12");
  }
  const size_t max_sealed = kSealedFieldOverhead + lim.max_private_value_bytes;
  if (f.ciphertext().size() < kSealedFieldOverhead || f.ciphertext().size() > max_sealed) {
    return Invalid(what + " ciphertext is " + Size(f.ciphertext().size()) + "; it must be " +
                   std::to_string(kSealedFieldOverhead) + ".." + std::to_string(max_sealed) +
                   " (value, salt and tag)");
  }
  return Status::Ok();
}

Status CheckReader(const v1::KeyWrap& w, const Genesis& genesis) {
  const std::string what = "reader '" + w.reader_org() + "'";
  const Organisation* org = genesis.FindOrganisation(w.reader_org());
  if (org == nullptr) return Invalid(what + " is not an organisation of this network");
  if (!org->encryption_key.has_value()) {
    return Invalid(what + " has no encryption key in the genesis");
  }
  if (w.iv().size() != crypto::kGcmIvSize) {
    return Invalid(what + " IV is " + Size(w.iv().size()) + ", not 12");
  }
  if (w.wrapped_key().size() != kWrappedKeySize) {
    return Invalid(what + " wrapped key is " + Size(w.wrapped_key().size()) + ", not 48");
  }
  if (auto point = crypto::DecodePoint(w.ephemeral_public_key()); !point.ok()) {
    return Invalid(what + " ephemeral key: " + point.status().message());
  }
  return Status::Ok();
}

}  // namespace

Status CheckEnvelopeStructure(const v1::Event& event, const Genesis& genesis) {
  if (!event.has_private_envelope()) return Status::Ok();
  const v1::PrivateEnvelope& env = event.private_envelope();
  const Limits& lim = genesis.limits;
  // Counts first: they bound the work of everything below.
  if (env.fields_size() == 0) return Invalid("an envelope must carry at least one field");
  if (static_cast<uint32_t>(env.fields_size()) > lim.max_private_fields) {
    return Invalid(std::to_string(env.fields_size()) + " fields; at most " +
                   std::to_string(lim.max_private_fields) + " are allowed");
  }
  if (static_cast<uint32_t>(env.readers_size()) > lim.max_private_readers) {
    return Invalid(std::to_string(env.readers_size()) + " readers; at most " +
                   std::to_string(lim.max_private_readers) + " are allowed");
  }
  const auto commitments = std::count_if(env.fields().begin(), env.fields().end(),
                                         [](const auto& f) { return !f.commitment().empty(); });
  if (commitments != env.fields_size()) {
    return Invalid(std::to_string(env.fields_size()) + " fields but " +
                   std::to_string(commitments) + " commitments: one commitment per field");
  }
  std::set<std::string_view> names;
  for (const v1::PrivateField& f : env.fields()) {
    if (f.name().empty() || f.name().size() > lim.max_field_bytes || !IsPrintable(f.name())) {
      return Invalid("a field name must be 1.." + std::to_string(lim.max_field_bytes) +
                     " printable bytes");
    }
    if (!names.insert(f.name()).second) return Invalid("field '" + f.name() + "' appears twice");
    SL_RETURN_IF_ERROR(CheckField(f, lim));
  }
  std::set<std::string_view> readers;
  for (const v1::KeyWrap& w : env.readers()) {
    if (!readers.insert(w.reader_org()).second) {
      return Invalid("reader '" + w.reader_org() + "' is named twice");
    }
    SL_RETURN_IF_ERROR(CheckReader(w, genesis));
  }
  if (!readers.contains(event.signer_org())) {
    return Invalid("the signer's organisation '" + event.signer_org() +
                   "' must be among the readers");
  }
  return Status::Ok();
}

}  // namespace shipledger::model
