// Who is calling the client API (DESIGN §3, §8): the organisation of the client certificate
// presented in the mutual-TLS handshake, checked against the organisation CAs of the genesis;
// and what that organisation may read.
// Thread-safety: Authenticator is thread-safe (its cache is locked); the rest are values.
#pragma once

#include <grpcpp/security/auth_context.h>

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "model/event.h"
#include "model/genesis.h"
#include "shipledger/clock.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"
#include "storage/store.h"

namespace shipledger::rpc {

// The authenticated caller of one RPC.
struct Caller {
  std::string org;            // organisation id; empty in insecure mode
  bool runs_node = false;     // the organisation runs a replica: it may read whole blocks
  bool unrestricted = false;  // insecure development mode: no identity, every read allowed
  bool admin = false;         // an organisation admin's certificate (OU=admin, model/admin.h)
};

// The height at which organisation `org` revoked its certificate `fingerprint` (contract rules
// v3, DESIGN §3), as the node has executed it; nullopt when it did not.
using RevocationLookup =
    std::function<std::optional<uint64_t>(const std::string& org, ByteView fingerprint)>;

// The committed revocations of `store`.
std::optional<uint64_t> RevokedAt(const storage::Store& store, const std::string& org,
                                  ByteView fingerprint);

// Admission (DESIGN §3): PERMISSION_DENIED naming the certificate and the height when the
// event's signer's or a co-signer's certificate has been revoked.
Status CheckNotRevoked(const RevocationLookup& revoked, const model::AdmittedEvent& event);

class Authenticator {
 public:
  // `insecure`: the client API runs without TLS (development only) and every caller is
  // unrestricted. Default cache: 4096 certificates.
  // REQUIRES: `genesis` and `clock` outlive the Authenticator.
  // `revoked`: consulted on every call (not cached), so a revocation takes effect as soon as
  // the node executed it; empty: no revocations.
  Authenticator(const model::Genesis& genesis, const Clock& clock, bool insecure,
                size_t cache_capacity = 4096, RevocationLookup revoked = {});

  // The caller of a call whose TLS peer is described by `auth`. UNAUTHENTICATED, saying why,
  // when no client certificate was presented, it does not parse, it is a CA certificate, its
  // organisation is not in the genesis, it was not issued by that organisation's CA, or it is
  // not valid now.
  Result<Caller> Identify(const grpc::AuthContext& auth) const;
  // The same for a certificate given as PEM (what gRPC reports as the peer's certificate).
  Result<Caller> IdentifyPem(const std::string& cert_pem) const;

  bool insecure() const { return insecure_; }

 private:
  struct Entry {
    Caller caller;
    int64_t not_before_ms = 0;
    int64_t not_after_ms = 0;
    Bytes fingerprint;
    std::list<std::string>::iterator lru;
  };
  Result<Entry> Check(const std::string& cert_pem) const;
  // The caller of `entry`, unless its certificate was revoked.
  Result<Caller> NotRevoked(const Entry& entry) const;

  const model::Genesis& genesis_;
  const Clock& clock_;
  bool insecure_;
  size_t capacity_;
  RevocationLookup revoked_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, Entry> cache_;  // by PEM; guarded by mu_
  mutable std::list<std::string> order_;                  // most recent first; guarded by mu_
};

// DESIGN §8: a shipment is visible to its parties (organisations named at booking, readers of
// its private fields, signers of its VALID events — all kept in state.parties by the contract),
// to every member when the genesis widens the scope, and to anyone in insecure mode.
bool MayRead(const Caller& caller, const model::Genesis& genesis, const v1::ShipmentState& state);

// DESIGN §8: whether `caller` may see `event` — the event, its receipt and its proof — when it
// was executed under contract rules `rules` and its shipment is `state` now (null: no such
// shipment). A party (MayRead) may. So may the signer's organisation when there is no such
// shipment, or under rules v3, where a non-party's event on a shipment gets, byte for byte,
// the receipt an unknown shipment gets; under earlier rules such a receipt may name the
// custodian, so it stays hidden. Organisations that run a node see events without a shipment
// (carrier offers), whose receipts may name other shipments. Nobody else does: they get what
// an unknown id gets.
bool MaySeeEvent(const Caller& caller, const model::Genesis& genesis, const v1::Event& event,
                 const v1::ShipmentState* state, uint32_t rules);

}  // namespace shipledger::rpc
