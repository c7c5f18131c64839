#include "model/genesis.h"

#include <algorithm>

namespace shipledger::model {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kExporter:
      return "exporter";
    case Role::kForwarder:
      return "forwarder";
    case Role::kCarrier:
      return "carrier";
    case Role::kCustoms:
      return "customs";
    case Role::kImporter:
      return "importer";
    case Role::kInspector:
      return "inspector";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kExporter, Role::kForwarder, Role::kCarrier, Role::kCustoms, Role::kImporter,
                 Role::kInspector}) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

const Organisation* Genesis::FindOrganisation(std::string_view id) const {
  for (const auto& o : organisations) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

const Replica* Genesis::FindReplica(uint32_t id) const {
  for (const auto& r : replicas) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const Replica* Genesis::FindReplicaByFingerprint(ByteView fingerprint) const {
  for (const auto& r : replicas) {
    if (r.node_cert.fingerprint() == fingerprint) return &r;
  }
  return nullptr;
}

uint32_t Genesis::ContractRulesAt(uint64_t height) const {
  uint32_t version = kOldestContractRules;
  for (const ContractRulesFrom& rule : contract_rules) {
    if (rule.from_height > height) break;
    version = rule.version;
  }
  return version;
}

bool Genesis::RoleAllowed(v1::EventType type, Role role) const {
  auto it = role_policy.find(type);
  if (it == role_policy.end()) return false;
  return std::find(it->second.begin(), it->second.end(), role) != it->second.end();
}

std::map<v1::EventType, std::vector<Role>> DefaultRolePolicy() {
  using R = Role;
  const std::vector<Role> movers = {R::kExporter, R::kForwarder, R::kCarrier, R::kImporter};
  const std::vector<Role> declarants = {R::kExporter, R::kForwarder, R::kImporter};
  const std::vector<Role> customs = {R::kCustoms};
  const std::vector<Role> everyone = {R::kExporter, R::kForwarder, R::kCarrier,
                                      R::kCustoms,  R::kImporter,  R::kInspector};
  std::map<v1::EventType, std::vector<Role>> p;
  p[v1::EVENT_TYPE_BOOKED] = {R::kExporter, R::kForwarder, R::kImporter};
  for (auto t :
       {v1::EVENT_TYPE_PICKUP, v1::EVENT_TYPE_HANDOVER, v1::EVENT_TYPE_LOADED,
        v1::EVENT_TYPE_DEPARTED, v1::EVENT_TYPE_ARRIVED, v1::EVENT_TYPE_DISCHARGED,
        v1::EVENT_TYPE_OUT_FOR_DELIVERY, v1::EVENT_TYPE_DELIVERED, v1::EVENT_TYPE_SENSOR_READINGS,
        v1::EVENT_TYPE_RETURN_PICKED_UP, v1::EVENT_TYPE_RETURNED}) {
    p[t] = movers;
  }
  p[v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED] = declarants;
  p[v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED] = declarants;
  for (auto t : {v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD,
                 v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED, v1::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED,
                 v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED}) {
    p[t] = customs;
  }
  p[v1::EVENT_TYPE_DUTIES_PAID] = {R::kImporter, R::kForwarder, R::kCustoms};
  p[v1::EVENT_TYPE_INSPECTION] = {R::kCustoms, R::kInspector};
  p[v1::EVENT_TYPE_EXCEPTION] = everyone;
  p[v1::EVENT_TYPE_RETURN_REQUESTED] = {R::kImporter, R::kExporter};
  p[v1::EVENT_TYPE_CARRIER_OFFER] = {R::kCarrier, R::kForwarder};
  p[v1::EVENT_TYPE_CARRIER_WITHDRAWAL] = {R::kCarrier, R::kForwarder};
  p[v1::EVENT_TYPE_LEG_REASSIGNMENT] = {R::kExporter, R::kForwarder, R::kImporter};  // bookers
  p[v1::EVENT_TYPE_ERROR_DECLARATION] = everyone;
  p[v1::EVENT_TYPE_CERTIFICATE_REVOCATION] = everyone;
  p[v1::EVENT_TYPE_PARTY_ADDED] = everyone;  // the contract admits parties of the shipment only
  return p;
}

std::string OrganisationRootsPem(const Genesis& genesis) {
  std::string pem;
  for (const Organisation& org : genesis.organisations) pem += org.ca_cert.ToPem();
  return pem;
}

}  // namespace shipledger::model
