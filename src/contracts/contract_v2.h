// Contract rules v2 and v3 (docs/contracts.md). v2: the v1 lifecycle (shipment_contract.h) with
// route legs and carrier matching, cold chain, return terms and error declarations. v3 adds that
// only a party makes a party (DESIGN §8: a non-party's event on a shipment gets the rejection an
// unknown shipment gets, a taken id is "not available", parties are added by party_added and by
// the customs authorities a declaration names), certificate revocation (DESIGN §3), and the
// offer index, expiry and limits of routing.h. An event may change several shipments and
// contract records, so it executes against a Workspace.
#pragma once

#include "contracts/rules.h"

namespace shipledger::contracts {

class RulesV2 : public ContractRules {
 public:
  RulesV2() = default;
  Verdict Apply(Workspace& ws, const model::AdmittedEvent& admitted,
                const model::BlockContext& context, uint32_t index) const override;

 protected:
  explicit RulesV2(bool only_parties) : only_parties_(only_parties) {}

 private:
  Verdict ApplyLifecycleEvent(Workspace& ws, const model::AdmittedEvent& admitted,
                              const v1::ShipmentState* current,
                              const model::BlockContext& context) const;

  // Rules v3: only a party makes a party (above).
  const bool only_parties_ = false;
};

class RulesV3 final : public RulesV2 {
 public:
  RulesV3() : RulesV2(/*only_parties=*/true) {}
  // Offer expiry (routing.h, BeginBlockV3).
  void BeginBlock(Workspace& ws, const model::BlockContext& context) const override;
  // A revoked certificate signs nothing after its revocation; certificate_revocation; then v2.
  Verdict Apply(Workspace& ws, const model::AdmittedEvent& admitted,
                const model::BlockContext& context, uint32_t index) const override;
};

}  // namespace shipledger::contracts
