// Certificate revocation (contract rules v3, DESIGN §3, docs/contracts.md): an admin (OU=admin)
// revokes a certificate of its own organisation; events signed or co-signed by it at later
// positions of the chain are REJECTED. Deterministic: reads only contract records.
#pragma once

#include <optional>
#include <string>

#include "contracts/verdict.h"
#include "contracts/workspace.h"
#include "model/event.h"

namespace shipledger::contracts {

// Record keys: "revoked/<org>/<fingerprint, lower-case hex>" → the height of the revocation
// (decimal); "cert/<fingerprint hex>" → the organisation of a certificate that signed or
// co-signed a VALID event (so a revocation by another organisation's admin is refused).
inline constexpr char kRevokedPrefix[] = "revoked/";
inline constexpr char kCertPrefix[] = "cert/";

std::string RevokedKey(const std::string& org, ByteView fingerprint);

// The height a revocation record (the value at RevokedKey) names; nullopt without a record.
// Also for admission and client authentication, which read committed state.
std::optional<uint64_t> RevokedAt(const std::optional<Bytes>& record);

// Why the event's signer's or a co-signer's certificate may no longer sign ("certificate
// revoked at height H …").
Check CheckNotRevoked(Workspace& ws, const model::AdmittedEvent& admitted);

// certificate_revocation: passes when the revocation record was written.
Check Revoke(Workspace& ws, const model::AdmittedEvent& admitted,
             const model::BlockContext& context);

// After a VALID event: remembers the organisation of its certificates.
void NoteCertificates(Workspace& ws, const model::AdmittedEvent& admitted);

}  // namespace shipledger::contracts
