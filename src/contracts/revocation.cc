#include "contracts/revocation.h"

#include <charconv>

namespace shipledger::contracts {
namespace {

std::string Short(ByteView fingerprint) { return ToHex(fingerprint).substr(0, 16) + "…"; }

std::string CertKey(ByteView fingerprint) { return kCertPrefix + ToHex(fingerprint); }

void Remember(Workspace& ws, const std::string& org, ByteView fingerprint) {
  const std::string key = CertKey(fingerprint);
  if (!ws.Record(key).has_value()) ws.PutRecord(key, org);
}

}  // namespace

std::string RevokedKey(const std::string& org, ByteView fingerprint) {
  return kRevokedPrefix + org + "/" + ToHex(fingerprint);
}

std::optional<uint64_t> RevokedAt(const std::optional<Bytes>& record) {
  if (!record.has_value()) return std::nullopt;
  uint64_t height = 0;
  const auto [end, error] =
      std::from_chars(record->data(), record->data() + record->size(), height);
  // Written by Revoke; anything else means a broken store, which still revokes.
  if (error != std::errc() || end != record->data() + record->size()) return 0;
  return height;
}

Check CheckNotRevoked(Workspace& ws, const model::AdmittedEvent& admitted) {
  const v1::Event& event = admitted.event;
  if (auto at = RevokedAt(ws.Record(RevokedKey(event.signer_org(), admitted.signer_fingerprint)))) {
    return Rejection("certificate revoked at height " + std::to_string(*at) +
                     ": the signer's certificate " + Short(admitted.signer_fingerprint) + " of " +
                     event.signer_org() + " may no longer sign");
  }
  for (size_t i = 0; i < admitted.cosigner_fingerprints.size(); ++i) {
    const std::string& org = admitted.cosigned_by[i];
    const Bytes& fingerprint = admitted.cosigner_fingerprints[i];
    if (auto at = RevokedAt(ws.Record(RevokedKey(org, fingerprint)))) {
      return Rejection("certificate revoked at height " + std::to_string(*at) +
                       ": the co-signing " + "certificate " + Short(fingerprint) + " of " + org +
                       " may no longer sign");
    }
  }
  return std::nullopt;
}

Check Revoke(Workspace& ws, const model::AdmittedEvent& admitted,
             const model::BlockContext& context) {
  const v1::Event& event = admitted.event;
  const std::string& org = event.signer_org();
  if (!event.has_revocation()) {
    return Rejection(
        "a certificate_revocation must carry revocation.fingerprint, the certificate to revoke");
  }
  if (!admitted.signer_admin) {
    return Rejection("only an admin of " + org +
                     " (a certificate its CA issued with OU=admin) may revoke its certificates");
  }
  const Bytes& fingerprint = event.revocation().fingerprint();
  if (auto owner = ws.Record(CertKey(fingerprint)); owner.has_value() && *owner != org) {
    return Rejection("certificate " + Short(fingerprint) + " belongs to " + *owner + ", not " +
                     org + "; only an admin of its own organisation may revoke it");
  }
  const std::string key = RevokedKey(org, fingerprint);
  if (auto at = RevokedAt(ws.Record(key))) {
    return Rejection("certificate " + Short(fingerprint) + " of " + org +
                     " was already revoked at height " + std::to_string(*at));
  }
  // Not remembered as `org`'s: a certificate not yet seen may be another organisation's, and
  // claiming it would let one organisation block another's revocation. Keyed by `org`, the
  // record can only ever stop a certificate of `org`.
  ws.PutRecord(key, std::to_string(context.height));
  return std::nullopt;
}

void NoteCertificates(Workspace& ws, const model::AdmittedEvent& admitted) {
  Remember(ws, admitted.event.signer_org(), admitted.signer_fingerprint);
  for (size_t i = 0; i < admitted.cosigner_fingerprints.size(); ++i) {
    Remember(ws, admitted.cosigned_by[i], admitted.cosigner_fingerprints[i]);
  }
}

}  // namespace shipledger::contracts
