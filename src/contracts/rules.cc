#include "contracts/rules.h"

#include <utility>
#include <variant>

#include "contracts/contract_v2.h"
#include "contracts/shipment_contract.h"
#include "model/genesis.h"
#include "shipledger/check.h"

namespace shipledger::contracts {
namespace {

// Rules v1: the lifecycle, one shipment per event.
class RulesV1 final : public ContractRules {
 public:
  Verdict Apply(Workspace& ws, const model::AdmittedEvent& admitted,
                const model::BlockContext& context, uint32_t /*index*/) const override {
    Outcome outcome =
        ApplyShipmentEvent(ws.Shipment(admitted.event.shipment_id()), admitted, context);
    if (auto* rejection = std::get_if<Rejection>(&outcome)) {
      return Verdict{std::move(*rejection), {}};
    }
    ws.PutShipment(std::get<v1::ShipmentState>(std::move(outcome)));
    return Verdict{};
  }
};

}  // namespace

void ContractRules::BeginBlock(Workspace& /*ws*/, const model::BlockContext& /*context*/) const {}

const ContractRules& RulesFor(uint32_t version) {
  static_assert(model::kLatestContractRules == 3, "a new rules version needs its entry here");
  static const RulesV1 v1_rules;
  static const RulesV2 v2_rules;
  static const RulesV3 v3_rules;
  switch (version) {
    case 1:
      return v1_rules;
    case 2:
      return v2_rules;
    case 3:
      return v3_rules;
    default:
      SHIPLEDGER_CHECK_MSG(false, "unknown contract rules version (the genesis file admits none)");
      return v1_rules;  // not reached
  }
}

}  // namespace shipledger::contracts
