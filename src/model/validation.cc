#include "model/validation.h"

#include <algorithm>
#include <set>

#include "crypto/sha256.h"
#include "model/admin.h"
#include "model/digest.h"
#include "model/envelope_check.h"
#include "model/validation_payloads.h"

namespace shipledger::model {

namespace {

const std::set<std::string, std::less<>>& ReferenceKinds() {
  static const std::set<std::string, std::less<>> kinds = {
      "booking", "bill_of_lading", "container", "purchase_order", "invoice", "awb", "seal",
      "customs_declaration",
      // Returns: refunds and settlement are recorded as references (contract rules v2).
      "refund", "settlement"};
  return kinds;
}

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == ':' || c == '/';
}

bool IsPrintable(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f; });
}

Status Invalid(std::string m) { return Status::InvalidArgument(std::move(m)); }

}  // namespace

EventValidator::EventValidator(std::shared_ptr<const Genesis> genesis)
    : genesis_(std::move(genesis)) {}

Status EventValidator::CheckFields(const v1::Event& e) const {
  const Limits& lim = genesis_->limits;
  if (e.chain_id() != genesis_->chain_id) {
    return Invalid("event is for chain '" + e.chain_id() + "', this network is '" +
                   genesis_->chain_id + "'");
  }
  if (e.shipment_id().empty()) return Invalid("event has no shipment_id");
  if (e.shipment_id().size() > lim.max_field_bytes ||
      !std::all_of(e.shipment_id().begin(), e.shipment_id().end(), IsIdChar)) {
    return Invalid("shipment_id must be 1.." + std::to_string(lim.max_field_bytes) +
                   " characters of A-Z a-z 0-9 - _ . : /");
  }
  if (e.type() == v1::EVENT_TYPE_UNSPECIFIED || !v1::EventType_IsValid(e.type())) {
    return Invalid("event type " + std::to_string(e.type()) + " is unknown");
  }
  if (e.occurred_at_ms() <= 0) return Invalid("occurred_at_ms must be a positive Unix time in ms");
  if (!e.location().empty() && !IsUnLocode(e.location())) {
    return Invalid("location '" + e.location() + "' is not a UN/LOCODE (e.g. DEHAM)");
  }
  if (e.nonce().size() > 32) return Invalid("nonce is longer than 32 bytes");
  if (static_cast<uint32_t>(e.references_size()) > lim.max_references) {
    return Invalid("event has more than " + std::to_string(lim.max_references) + " references");
  }
  for (const auto& r : e.references()) {
    if (!ReferenceKinds().contains(r.kind())) {
      return Invalid("unknown reference kind '" + r.kind() +
                     "' (booking, bill_of_lading, container, purchase_order, invoice, awb, seal, "
                     "customs_declaration)");
    }
    if (r.value().empty() || r.value().size() > lim.max_field_bytes || !IsPrintable(r.value())) {
      return Invalid("reference " + r.kind() + " must have a printable value of 1.." +
                     std::to_string(lim.max_field_bytes) + " bytes");
    }
  }
  if (static_cast<uint32_t>(e.documents_size()) > lim.max_documents) {
    return Invalid("event has more than " + std::to_string(lim.max_documents) + " documents");
  }
  for (const auto& d : e.documents()) {
    if (d.kind().empty() || d.kind().size() > lim.max_field_bytes) {
      return Invalid("document kind must be 1.." + std::to_string(lim.max_field_bytes) + " bytes");
    }
    if (d.sha256().size() != kDigestSize)
      return Invalid("document " + d.kind() + " hash is not 32 bytes");
  }
  if (static_cast<uint32_t>(e.details_size()) > lim.max_details) {
    return Invalid("event has more than " + std::to_string(lim.max_details) + " details");
  }
  for (const auto& d : e.details()) {
    if (d.key().empty() || d.key().size() > lim.max_field_bytes ||
        d.value().size() > lim.max_field_bytes || !IsPrintable(d.key()) ||
        !IsPrintable(d.value())) {
      return Invalid("detail '" + d.key() + "' must have a printable key and value of at most " +
                     std::to_string(lim.max_field_bytes) + " bytes");
    }
  }
  // Who may name parties (DESIGN §8): a booking, a party adding others (party_added), and a
  // customs declaration naming the customs authorities it is lodged with.
  const bool declaration = e.type() == v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED ||
                           e.type() == v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED;
  if (e.parties_size() > 0 && e.type() != v1::EVENT_TYPE_BOOKED &&
      e.type() != v1::EVENT_TYPE_PARTY_ADDED && !declaration) {
    return Invalid("only booked, party_added and customs declaration events may name parties");
  }
  if (e.type() == v1::EVENT_TYPE_PARTY_ADDED && e.parties_size() == 0) {
    return Invalid("a party_added event must name the organisations it adds (parties)");
  }
  for (const auto& p : e.parties()) {
    const Organisation* org = genesis_->FindOrganisation(p);
    if (org == nullptr) return Invalid("party '" + p + "' is not an organisation of this network");
    if (declaration && org->role != Role::kCustoms) {
      return Invalid("a customs declaration names customs authorities only, and '" + p +
                     "' is not a customs organisation");
    }
  }
  if (!e.tracking_hash().empty()) {
    // DESIGN §8: the chain keeps SHA-256("shipledger/track/v1" ‖ code), never the code.
    if (e.type() != v1::EVENT_TYPE_BOOKED) {
      return Invalid("only a booked event may carry a tracking_hash");
    }
    if (e.tracking_hash().size() != kDigestSize) {
      return Invalid("tracking_hash must be 32 bytes (the SHA-256 of the tracking code), got " +
                     std::to_string(e.tracking_hash().size()));
    }
  }
  if (static_cast<uint32_t>(e.cosigner_orgs_size()) > lim.max_cosignatures) {
    return Invalid("event requires more than " + std::to_string(lim.max_cosignatures) +
                   " co-signatures");
  }
  std::set<std::string, std::less<>> cosigners;
  for (const auto& c : e.cosigner_orgs()) {
    if (genesis_->FindOrganisation(c) == nullptr) {
      return Invalid("co-signer '" + c + "' is not an organisation of this network");
    }
    if (c == e.signer_org()) return Invalid("the signer's organisation cannot co-sign its event");
    if (!cosigners.insert(c).second) return Invalid("co-signer '" + c + "' is named twice");
  }
  if (e.type() == v1::EVENT_TYPE_HANDOVER && e.cosigner_orgs_size() != 1) {
    return Invalid("a handover must name exactly one co-signer: the receiving organisation");
  }
  SL_RETURN_IF_ERROR(CheckPayloads(e, *genesis_));
  return CheckEnvelopeStructure(e, *genesis_);
}

Result<const Organisation*> EventValidator::CheckCertificate(ByteView cert_der, int64_t at_ms,
                                                             crypto::PublicKey* key_out,
                                                             int64_t* valid_from,
                                                             int64_t* valid_until,
                                                             CertFacts* facts) const {
  const Bytes der_hash = crypto::Sha256(cert_der);  // the cache's key: this very encoding
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cert_cache_.find(der_hash);
    if (it != cert_cache_.end() && at_ms >= it->second.not_before_ms &&
        at_ms <= it->second.not_after_ms) {
      *key_out = it->second.key;
      *facts = it->second.facts;
      *valid_from = std::max(*valid_from, it->second.not_before_ms);
      *valid_until = std::min(*valid_until, it->second.not_after_ms);
      return it->second.org;
    }
  }
  auto cert = crypto::Certificate::FromDer(cert_der);
  if (!cert.ok()) return Status::InvalidArgument("signer certificate: " + cert.status().message());
  // By the certificate's fingerprint, which its high-S twin shares (crypto/x509.h).
  if (genesis_->FindReplicaByFingerprint(cert->fingerprint()) != nullptr) {
    // DESIGN §3: node keys vote; clients sign events. Keeping them apart means a stolen client
    // key never votes and a node never speaks for its organisation's clerks.
    return Status::PermissionDenied(
        "a node certificate cannot sign or co-sign events; use a client identity "
        "(shipledger identity issue)");
  }
  const std::string org_id = cert->organization();
  const Organisation* org = genesis_->FindOrganisation(org_id);
  if (org == nullptr) {
    return Status::PermissionDenied("certificate of organisation '" + org_id +
                                    "' which is not in the genesis");
  }
  Status chain = crypto::VerifyChain(*cert, org->ca_cert, at_ms);
  if (!chain.ok()) {
    return Status::PermissionDenied("certificate does not chain to the CA of '" + org_id +
                                    "': " + chain.message());
  }
  auto key = cert->public_key();
  if (!key.ok()) return Status::InvalidArgument("signer certificate: " + key.status().message());
  *key_out = *key;
  // VerifyChain also requires the CA to be valid at at_ms, so a cache hit must too: the window
  // is the intersection of the leaf's and the CA's validity.
  const int64_t not_before_ms = std::max(cert->not_before_ms(), org->ca_cert.not_before_ms());
  const int64_t not_after_ms = std::min(cert->not_after_ms(), org->ca_cert.not_after_ms());
  *valid_from = std::max(*valid_from, not_before_ms);
  *valid_until = std::min(*valid_until, not_after_ms);
  *facts = CertFacts{cert->fingerprint(), IsAdminCertificate(*cert)};
  std::lock_guard<std::mutex> lock(mu_);
  if (cert_cache_.size() >= 10000) cert_cache_.clear();  // bounded; refills on demand
  cert_cache_.insert_or_assign(der_hash,
                               CachedCert{org, *key, not_before_ms, not_after_ms, *facts});
  return org;
}

Status EventValidator::CheckSizes(const v1::SignedEvent& se) const {
  const Limits& lim = genesis_->limits;
  if (se.ByteSizeLong() > lim.max_signed_event_bytes) {
    return Invalid("signed event is " + std::to_string(se.ByteSizeLong()) +
                   " bytes; the limit is " + std::to_string(lim.max_signed_event_bytes));
  }
  if (se.event().size() > lim.max_event_bytes) {
    return Invalid("event is " + std::to_string(se.event().size()) + " bytes; the limit is " +
                   std::to_string(lim.max_event_bytes));
  }
  if (se.event().empty()) return Invalid("signed event carries no event bytes");
  return Status::Ok();
}

Status EventValidator::CheckClock(const v1::Event& event, int64_t now) const {
  const Limits& lim = genesis_->limits;
  const int64_t t = event.occurred_at_ms();
  if (t > now + lim.max_future_skew_ms) {
    return Invalid("occurred_at is " + std::to_string((t - now) / 1000) +
                   " s in the future (at most " + std::to_string(lim.max_future_skew_ms / 1000) +
                   " s allowed); check the signer's clock");
  }
  if (t < now - lim.max_event_age_ms) {
    return Invalid("occurred_at is more than " +
                   std::to_string(lim.max_event_age_ms / (24 * 3600 * 1000)) + " days in the past");
  }
  return Status::Ok();
}

Result<EventPtr> EventValidator::Validate(const v1::SignedEvent& se,
                                          const ValidateOptions& options) const {
  SL_RETURN_IF_ERROR(CheckSizes(se));
  auto out = std::make_shared<AdmittedEvent>();
  if (!out->event.ParseFromString(se.event())) return Invalid("event bytes are not a valid Event");
  if (!out->event.GetReflection()->GetUnknownFields(out->event).empty()) {
    return Invalid("event has fields unknown to this network's schema");
  }
  SL_RETURN_IF_ERROR(CheckFields(out->event));

  crypto::PublicKey signer_key(nullptr);
  CertFacts signer;
  SL_ASSIGN_OR_RETURN(const Organisation* org,
                      CheckCertificate(se.signer_cert(), options.cert_time_ms, &signer_key,
                                       &out->valid_from_ms, &out->valid_until_ms, &signer));
  out->signer_fingerprint = std::move(signer.fingerprint);
  out->signer_admin = signer.admin;
  if (org->id != out->event.signer_org()) {
    return Status::PermissionDenied("event says it is signed by '" + out->event.signer_org() +
                                    "' but the certificate belongs to '" + org->id + "'");
  }
  verifications_.fetch_add(1, std::memory_order_relaxed);
  Status sig = signer_key.Verify(EventSigningMessage(se.event()), se.signature());
  if (!sig.ok()) return Invalid("event signature: " + sig.message());
  if (!genesis_->RoleAllowed(out->event.type(), org->role)) {
    return Status::PermissionDenied("role '" + std::string(RoleName(org->role)) + "' of '" +
                                    org->id + "' may not record '" +
                                    EventTypeName(out->event.type()) + "' events");
  }
  out->id = EventId(se.event());
  out->signer_role = org->role;

  if (se.cosignatures_size() != out->event.cosigner_orgs_size()) {
    return Invalid("event requires " + std::to_string(out->event.cosigner_orgs_size()) +
                   " co-signature(s) but carries " + std::to_string(se.cosignatures_size()));
  }
  const Bytes cosign_message = CosignMessage(out->id);
  for (int i = 0; i < se.cosignatures_size(); ++i) {
    const auto& c = se.cosignatures(i);
    crypto::PublicKey key(nullptr);
    CertFacts cosigner;
    SL_ASSIGN_OR_RETURN(const Organisation* corg,
                        CheckCertificate(c.signer_cert(), options.cert_time_ms, &key,
                                         &out->valid_from_ms, &out->valid_until_ms, &cosigner));
    if (corg->id != out->event.cosigner_orgs(i)) {
      return Invalid("co-signature " + std::to_string(i) + " is by '" + corg->id +
                     "' but the event requires '" + out->event.cosigner_orgs(i) + "' there");
    }
    Status s = key.Verify(cosign_message, c.signature());
    if (!s.ok()) return Invalid("co-signature of '" + corg->id + "': " + s.message());
    out->cosigned_by.push_back(corg->id);
    out->cosigner_fingerprints.push_back(std::move(cosigner.fingerprint));
  }

  if (options.clock_now_ms) SL_RETURN_IF_ERROR(CheckClock(out->event, *options.clock_now_ms));
  out->signed_event = se;
  out->leaf_hash = EventLeafHash(out->signed_event);
  return EventPtr(std::move(out));
}

Result<const Organisation*> EventValidator::ParseCertificate(ByteView cert_der, CertFacts* facts,
                                                             int64_t* valid_from,
                                                             int64_t* valid_until) const {
  const Bytes der_hash = crypto::Sha256(cert_der);
  const auto narrow = [&](int64_t not_before_ms, int64_t not_after_ms) {
    *valid_from = std::max(*valid_from, not_before_ms);
    *valid_until = std::min(*valid_until, not_after_ms);
  };
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = cert_cache_.find(der_hash); it != cert_cache_.end()) {
      narrow(it->second.not_before_ms, it->second.not_after_ms);
      *facts = it->second.facts;
      return it->second.org;
    }
    if (auto it = parsed_cache_.find(der_hash); it != parsed_cache_.end()) {
      narrow(it->second.not_before_ms, it->second.not_after_ms);
      *facts = it->second.facts;
      return it->second.org;
    }
  }
  auto cert = crypto::Certificate::FromDer(cert_der);
  if (!cert.ok()) return Invalid("signer certificate: " + cert.status().message());
  const std::string org_id = cert->organization();
  const Organisation* org = genesis_->FindOrganisation(org_id);
  if (org == nullptr) {
    return Invalid("certificate of organisation '" + org_id + "' which is not in the genesis");
  }
  // The same window CheckCertificate computes: the certificate's validity ∩ its CA's.
  const int64_t not_before_ms = std::max(cert->not_before_ms(), org->ca_cert.not_before_ms());
  const int64_t not_after_ms = std::min(cert->not_after_ms(), org->ca_cert.not_after_ms());
  narrow(not_before_ms, not_after_ms);
  *facts = CertFacts{cert->fingerprint(), IsAdminCertificate(*cert)};
  std::lock_guard<std::mutex> lock(mu_);
  if (parsed_cache_.size() >= 10000) parsed_cache_.clear();  // bounded; refills on demand
  parsed_cache_.insert_or_assign(der_hash, ParsedCert{org, not_before_ms, not_after_ms, *facts});
  return org;
}

Result<EventPtr> EventValidator::Parse(const v1::SignedEvent& se) const {
  SL_RETURN_IF_ERROR(CheckSizes(se));
  auto out = std::make_shared<AdmittedEvent>();
  if (!out->event.ParseFromString(se.event())) return Invalid("event bytes are not a valid Event");
  CertFacts signer;
  SL_ASSIGN_OR_RETURN(
      const Organisation* org,
      ParseCertificate(se.signer_cert(), &signer, &out->valid_from_ms, &out->valid_until_ms));
  out->signer_fingerprint = std::move(signer.fingerprint);
  out->signer_admin = signer.admin;
  if (se.cosignatures_size() != out->event.cosigner_orgs_size()) {
    return Invalid("event requires " + std::to_string(out->event.cosigner_orgs_size()) +
                   " co-signature(s) but carries " + std::to_string(se.cosignatures_size()));
  }
  for (const auto& c : se.cosignatures()) {
    CertFacts cosigner;
    SL_ASSIGN_OR_RETURN(
        const Organisation* corg,
        ParseCertificate(c.signer_cert(), &cosigner, &out->valid_from_ms, &out->valid_until_ms));
    out->cosigned_by.push_back(corg->id);
    out->cosigner_fingerprints.push_back(std::move(cosigner.fingerprint));
  }
  out->id = EventId(se.event());
  out->signer_role = org->role;
  out->signed_event = se;
  out->leaf_hash = EventLeafHash(out->signed_event);
  return EventPtr(std::move(out));
}

Status EventValidator::CheckTimes(const AdmittedEvent& event,
                                  const ValidateOptions& options) const {
  if (options.cert_time_ms < event.valid_from_ms || options.cert_time_ms > event.valid_until_ms) {
    return Status::PermissionDenied(
        "a certificate of the event is not valid at " + std::to_string(options.cert_time_ms) +
        " ms (the event's certificates are valid from " + std::to_string(event.valid_from_ms) +
        " to " + std::to_string(event.valid_until_ms) + " ms)");
  }
  if (options.clock_now_ms) SL_RETURN_IF_ERROR(CheckClock(event.event, *options.clock_now_ms));
  return Status::Ok();
}

}  // namespace shipledger::model
