// Hand-built AdmittedEvents for contract and executor tests (no signatures: the contract only
// reads the parsed event, the signer's role and the verified co-signers).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/event.h"
#include "model/execution.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::contracts::testutil {

inline constexpr char kShipment[] = "SHP-1";
inline constexpr char kExporter[] = "exporter-co";
inline constexpr char kForwarder[] = "forwarder-co";
inline constexpr char kCarrier[] = "carrier-co";
inline constexpr char kCustoms[] = "customs-de";
inline constexpr char kImporter[] = "importer-co";
inline constexpr char kInspector[] = "inspector-co";

inline model::Role RoleOf(const std::string& org) {
  if (org == kForwarder) return model::Role::kForwarder;
  if (org == kCarrier) return model::Role::kCarrier;
  if (org == kCustoms) return model::Role::kCustoms;
  if (org == kImporter) return model::Role::kImporter;
  if (org == kInspector) return model::Role::kInspector;
  return model::Role::kExporter;
}

// A 32-byte id unique per `n`.
inline Bytes TestId(uint32_t n) {
  Bytes id(32, 'e');
  for (int i = 0; i < 4; ++i) id[static_cast<size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
  return id;
}

// An event of `type` signed by `signer` (role from RoleOf). A handover's receiver (cosigner)
// is recorded as having co-signed unless the test removes it from cosigned_by.
inline model::AdmittedEvent MakeEvent(v1::EventType type, const std::string& signer,
                                      std::vector<std::string> cosigners = {},
                                      const std::string& shipment = kShipment) {
  static uint32_t next_id = 1;
  model::AdmittedEvent admitted;
  admitted.id = TestId(next_id++);
  admitted.event.set_chain_id("test-chain");
  admitted.event.set_shipment_id(shipment);
  admitted.event.set_type(type);
  admitted.event.set_signer_org(signer);
  for (const std::string& org : cosigners) admitted.event.add_cosigner_orgs(org);
  admitted.signer_role = RoleOf(signer);
  admitted.cosigned_by = std::move(cosigners);
  return admitted;
}

inline model::AdmittedEvent Booked(const std::string& signer = kExporter,
                                   std::vector<std::string> parties = {kImporter},
                                   const std::string& shipment = kShipment) {
  model::AdmittedEvent admitted = MakeEvent(v1::EVENT_TYPE_BOOKED, signer, {}, shipment);
  for (const std::string& party : parties) admitted.event.add_parties(party);
  return admitted;
}

inline model::AdmittedEvent Handover(const std::string& from, const std::string& to) {
  return MakeEvent(v1::EVENT_TYPE_HANDOVER, from, {to});
}

inline model::AdmittedEvent WithDetail(model::AdmittedEvent admitted, const std::string& key,
                                       const std::string& value) {
  v1::Detail* detail = admitted.event.add_details();
  detail->set_key(key);
  detail->set_value(value);
  return admitted;
}

inline model::EventPtr Share(model::AdmittedEvent admitted) {
  return std::make_shared<const model::AdmittedEvent>(std::move(admitted));
}

}  // namespace shipledger::contracts::testutil
