#include "rpc/auth.h"

#include <algorithm>

#include "contracts/revocation.h"
#include "crypto/x509.h"
#include "model/admin.h"

namespace shipledger::rpc {

namespace {

// The property gRPC's TLS transport sets to the peer's leaf certificate.
constexpr char kPeerCertProperty[] = "x509_pem_cert";

Status Refuse(const std::string& why) {
  return Status(Code::kUnauthenticated,
                why +
                    "; the client API admits clients whose certificate was issued by an "
                    "organisation CA of the genesis (e.g. NET/ORG/clients/admin)");
}

}  // namespace

std::optional<uint64_t> RevokedAt(const storage::Store& store, const std::string& org,
                                  ByteView fingerprint) {
  return contracts::RevokedAt(store.GetRecord(contracts::RevokedKey(org, fingerprint)));
}

Status CheckNotRevoked(const RevocationLookup& revoked, const model::AdmittedEvent& event) {
  if (!revoked) return Status::Ok();
  auto refuse = [](const std::string& whose, const std::string& org, ByteView fingerprint,
                   uint64_t height) {
    return Status::PermissionDenied(whose + " certificate " + ToHex(fingerprint) + " of " + org +
                                    " was revoked at height " + std::to_string(height) +
                                    "; sign with a current identity of " + org);
  };
  if (auto at = revoked(event.event.signer_org(), event.signer_fingerprint)) {
    return refuse("the signer's", event.event.signer_org(), event.signer_fingerprint, *at);
  }
  for (size_t i = 0; i < event.cosigner_fingerprints.size(); ++i) {
    if (auto at = revoked(event.cosigned_by[i], event.cosigner_fingerprints[i])) {
      return refuse("a co-signer's", event.cosigned_by[i], event.cosigner_fingerprints[i], *at);
    }
  }
  return Status::Ok();
}

Authenticator::Authenticator(const model::Genesis& genesis, const Clock& clock, bool insecure,
                             size_t cache_capacity, RevocationLookup revoked)
    : genesis_(genesis),
      clock_(clock),
      insecure_(insecure),
      capacity_(std::max<size_t>(cache_capacity, 1)),
      revoked_(std::move(revoked)) {}

Result<Caller> Authenticator::NotRevoked(const Entry& entry) const {
  if (!revoked_) return entry.caller;
  if (auto at = revoked_(entry.caller.org, entry.fingerprint)) {
    return Status(Code::kUnauthenticated, "client certificate " + ToHex(entry.fingerprint) +
                                              " of '" + entry.caller.org +
                                              "' was revoked at height " + std::to_string(*at) +
                                              "; use a current identity of the organisation");
  }
  return entry.caller;
}

Result<Caller> Authenticator::Identify(const grpc::AuthContext& auth) const {
  if (insecure_) {
    Caller caller;
    caller.unrestricted = true;
    return caller;
  }
  const std::vector<grpc::string_ref> certs = auth.FindPropertyValues(kPeerCertProperty);
  if (certs.empty()) return Refuse("no client certificate presented");
  return IdentifyPem(std::string(certs.front().data(), certs.front().size()));
}

Result<Caller> Authenticator::IdentifyPem(const std::string& cert_pem) const {
  const int64_t now_ms = clock_.NowMs();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = cache_.find(cert_pem); it != cache_.end()) {
      if (now_ms < it->second.not_before_ms || now_ms > it->second.not_after_ms) {
        return Refuse("client certificate of '" + it->second.caller.org +
                      "' is not valid at this time");
      }
      order_.splice(order_.begin(), order_, it->second.lru);
      const Entry hit = it->second;
      return NotRevoked(hit);  // not under the lock: it reads the store
    }
  }
  SL_ASSIGN_OR_RETURN(Entry entry, Check(cert_pem));
  if (now_ms < entry.not_before_ms || now_ms > entry.not_after_ms) {
    return Refuse("client certificate of '" + entry.caller.org + "' is not valid at this time");
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cache_.find(cert_pem) == cache_.end()) {
      if (cache_.size() >= capacity_) {
        cache_.erase(order_.back());
        order_.pop_back();
      }
      order_.push_front(cert_pem);
      entry.lru = order_.begin();
      cache_.emplace(cert_pem, entry);
    }
  }
  return NotRevoked(entry);
}

Result<Authenticator::Entry> Authenticator::Check(const std::string& cert_pem) const {
  auto cert = crypto::Certificate::FromPem(cert_pem);
  if (!cert.ok()) return Refuse("client certificate does not parse: " + cert.status().message());
  if (cert->is_ca()) return Refuse("a CA certificate cannot be a client certificate");
  // DESIGN §3: a node certificate is never a client identity (by its fingerprint, which its
  // high-S twin shares).
  if (const model::Replica* r = genesis_.FindReplicaByFingerprint(cert->fingerprint())) {
    return Refuse("the certificate is the node certificate the genesis pins for replica " +
                  std::to_string(r->id) + " (" + r->org +
                  "), and a node certificate is never a client identity");
  }
  const std::string org_id = cert->organization();
  const model::Organisation* org = genesis_.FindOrganisation(org_id);
  if (org == nullptr) {
    return Refuse("client certificate names organisation '" + org_id +
                  "', which is not in the genesis");
  }
  // Any time inside both validity windows will do here: the window is checked per call.
  const int64_t from = std::max(cert->not_before_ms(), org->ca_cert.not_before_ms());
  const int64_t until = std::min(cert->not_after_ms(), org->ca_cert.not_after_ms());
  if (from > until) return Refuse("client certificate is valid only outside its CA's validity");
  if (Status s = crypto::VerifyChain(*cert, org->ca_cert, from); !s.ok()) {
    return Refuse("client certificate of '" + org_id + "' is not issued by its CA: " + s.message());
  }
  Entry entry;
  entry.caller.org = org_id;
  entry.caller.runs_node = std::any_of(genesis_.replicas.begin(), genesis_.replicas.end(),
                                       [&](const model::Replica& r) { return r.org == org_id; });
  entry.caller.admin = model::IsAdminCertificate(*cert);
  entry.not_before_ms = from;
  entry.not_after_ms = until;
  entry.fingerprint = cert->fingerprint();
  return entry;
}

bool MayRead(const Caller& caller, const model::Genesis& genesis, const v1::ShipmentState& state) {
  if (caller.unrestricted) return true;
  if (caller.org.empty()) return false;
  if (genesis.read_scope == model::ReadScope::kAllMembers) return true;
  return std::find(state.parties().begin(), state.parties().end(), caller.org) !=
         state.parties().end();
}

bool MaySeeEvent(const Caller& caller, const model::Genesis& genesis, const v1::Event& event,
                 const v1::ShipmentState* state, uint32_t rules) {
  if (caller.unrestricted) return true;
  if (caller.org.empty()) return false;
  if (state != nullptr && MayRead(caller, genesis, *state)) return true;
  if (caller.org == event.signer_org() && (state == nullptr || rules >= 3)) return true;
  return state == nullptr && caller.runs_node;
}

}  // namespace shipledger::rpc
