// Organisation admins (DESIGN §3): a client certificate its organisation's CA issued with
// OU=admin, as Fabric's NodeOUs. An admin may revoke certificates of its own organisation.
#pragma once

#include <algorithm>
#include <string_view>

#include "crypto/x509.h"

namespace shipledger::model {

inline constexpr std::string_view kAdminUnit = "admin";

inline bool IsAdminCertificate(const crypto::Certificate& cert) {
  const auto units = cert.organizational_units();
  return !cert.is_ca() && std::find(units.begin(), units.end(), kAdminUnit) != units.end();
}

}  // namespace shipledger::model
