// Stateless validation of a signed event (DESIGN §6): everything that depends only on the
// event, the genesis and (for fresh submissions) the clock. Used by admission, by backups
// checking a proposal and by `verify`. Stateful rules (custody, holds) belong to contracts/.
// Thread-safety: EventValidator is thread-safe; its certificate cache is internally locked.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "model/event.h"
#include "model/genesis.h"
#include "shipledger/status.h"

namespace shipledger::model {

struct ValidateOptions {
  // Certificates must be valid at this time (admission: now; verify: the block time).
  int64_t cert_time_ms = 0;
  // When set, occurred_at_ms must lie within the genesis limits around this clock reading.
  std::optional<int64_t> clock_now_ms;
};

class EventValidator {
 public:
  explicit EventValidator(std::shared_ptr<const Genesis> genesis);

  // Parses and checks one SignedEvent. On failure the Status code says whose fault and what:
  // INVALID_ARGUMENT (malformed, oversized, wrong chain id, bad signature, missing or extra
  // co-signature, timestamp out of range, a malformed private envelope: CheckEnvelopeStructure),
  // PERMISSION_DENIED (certificate not chained to a genesis organisation, organisation
  // mismatch, role not allowed for the event type).
  Result<EventPtr> Validate(const v1::SignedEvent& signed_event,
                            const ValidateOptions& options) const;

  // Builds the AdmittedEvent of an envelope that something else already vouches for — a block
  // with a valid commit certificate (2f+1 replicas checked it), or an envelope whose leaf hash
  // this node verified before — WITHOUT verifying any signature or certificate chain and
  // without the field, chain-id, role and clock checks: the size limits are enforced, the
  // event bytes parsed, and the signer's and co-signers' certificates parsed (or found in the
  // certificate cache by the SHA-256 of their DER) for their organisation, the signer's role and
  // the validity window (certificates and their organisation CAs), exactly as Validate fills them.
  // INVALID_ARGUMENT when the envelope is oversized, the event or a certificate does not parse,
  // a certificate's organisation is not in the genesis, or the co-signature count differs from
  // the event's cosigner_orgs. Never use it on an envelope nobody vouches for.
  Result<EventPtr> Parse(const v1::SignedEvent& signed_event) const;

  // The time-dependent rules of Validate for an event built by Parse (or Validate) earlier:
  // options.cert_time_ms must lie in the event's certificate validity window
  // (PERMISSION_DENIED otherwise), and, when options.clock_now_ms is set, occurred_at_ms within
  // the genesis limits around it (INVALID_ARGUMENT otherwise).
  Status CheckTimes(const AdmittedEvent& event, const ValidateOptions& options) const;

  const Genesis& genesis() const { return *genesis_; }
  // Event signatures checked so far (the signer's; co-signatures not counted).
  uint64_t verifications() const { return verifications_.load(std::memory_order_relaxed); }

 private:
  // Returns the organisation of a certificate that chains to its organisation's CA,
  // caching successful chain checks by the SHA-256 of the DER with the window in which both the
  // certificate and its CA are valid.
  // Narrows *valid_from / *valid_until to the window in which the chain check holds.
  // What events record of a certificate besides its organisation (AdmittedEvent).
  struct CertFacts {
    Bytes fingerprint;
    bool admin = false;
  };
  Result<const Organisation*> CheckCertificate(ByteView cert_der, int64_t at_ms,
                                               crypto::PublicKey* key_out, int64_t* valid_from,
                                               int64_t* valid_until, CertFacts* facts) const;
  Status CheckFields(const v1::Event& event) const;
  Status CheckClock(const v1::Event& event, int64_t now_ms) const;
  Status CheckSizes(const v1::SignedEvent& signed_event) const;
  // Parse's certificate step: the organisation and validity window (certificate ∩ its CA) of
  // a certificate, from either cache or by parsing it; no chain or signature check.
  Result<const Organisation*> ParseCertificate(ByteView cert_der, CertFacts* facts,
                                               int64_t* valid_from, int64_t* valid_until) const;

  std::shared_ptr<const Genesis> genesis_;
  struct CachedCert {
    const Organisation* org;
    crypto::PublicKey key;
    int64_t not_before_ms;
    int64_t not_after_ms;
    CertFacts facts;
  };
  mutable std::atomic<uint64_t> verifications_{0};
  mutable std::mutex mu_;
  mutable std::unordered_map<Bytes, CachedCert> cert_cache_;  // GUARDED_BY(mu_)
  // Certificates Parse has read but nobody has chain-checked: never consulted by Validate.
  struct ParsedCert {
    const Organisation* org;
    int64_t not_before_ms;
    int64_t not_after_ms;
    CertFacts facts;
  };
  mutable std::unordered_map<Bytes, ParsedCert> parsed_cache_;  // GUARDED_BY(mu_)
};

}  // namespace shipledger::model
