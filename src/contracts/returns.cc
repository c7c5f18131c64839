#include "contracts/returns.h"

#include <algorithm>

#include "contracts/routing.h"
#include "contracts/util.h"

namespace shipledger::contracts {
namespace {

// Whether the request is within the terms.
Check JudgeReturn(const v1::ShipmentState& state, const v1::ReturnRequest& request,
                  int64_t block_time_ms) {
  if (!state.has_return_terms()) return Rejection("the booking carries no return terms");
  const v1::ReturnTerms& terms = state.return_terms();
  const int64_t since_delivery = block_time_ms - state.delivered_at_ms();
  if (since_delivery > terms.window_ms()) {
    return Rejection("requested " + FormatDuration(since_delivery) +
                     " after delivery; the return window is " + FormatDuration(terms.window_ms()));
  }
  if (!terms.allowed_reasons().empty() &&
      std::find(terms.allowed_reasons().begin(), terms.allowed_reasons().end(), request.reason()) ==
          terms.allowed_reasons().end()) {
    std::string allowed;
    for (const std::string& r : terms.allowed_reasons()) {
      allowed += (allowed.empty() ? "" : ", ") + r;
    }
    return Rejection("reason " + Quote(request.reason()) + " is not among the allowed reasons (" +
                     allowed + ")");
  }
  if (!terms.condition_required().empty() && request.condition() != terms.condition_required()) {
    return Rejection("condition " + Quote(request.condition()) + " does not meet the required " +
                     Quote(terms.condition_required()));
  }
  return std::nullopt;
}

bool IsValidEventOf(const std::optional<model::EventFacts>& facts, const std::string& shipment) {
  return facts.has_value() && facts->code == v1::RESULT_CODE_VALID &&
         facts->shipment_id == shipment;
}

}  // namespace

Check CheckReturnRequester(const v1::ShipmentState& state, const std::string& signer) {
  if (!state.consignee().empty() && signer != state.consignee()) {
    return Rejection("only the consignee " + Quote(state.consignee()) +
                     " may request a return of shipment " + state.shipment_id());
  }
  return std::nullopt;
}

void DecideReturn(Workspace& ws, v1::ShipmentState* state, const model::AdmittedEvent& admitted,
                  const model::BlockContext& context, std::vector<v1::ContractOutput>* out) {
  const v1::ReturnRequest& request = admitted.event.return_request();
  v1::ReturnRecord* record = state->add_returns();
  record->set_request_event_id(admitted.id);
  record->set_reason(request.reason());
  record->set_condition(request.condition());
  record->set_requested_at_ms(context.block_time_ms);
  const Check judged = JudgeReturn(*state, request, context.block_time_ms);
  v1::ContractOutput& o = out->emplace_back();
  o.set_shipment_id(state->shipment_id());
  if (judged.has_value()) {
    record->set_approved(false);
    record->set_decision(judged->reason);
    state->set_status(v1::SHIPMENT_STATUS_DELIVERED);
    o.set_kind(v1::ContractOutput::KIND_RETURN_REJECTED);
    o.set_reason(judged->reason);
    return;
  }
  record->set_approved(true);
  o.set_kind(v1::ContractOutput::KIND_RETURN_APPROVED);
  if (!state->return_terms().payer().empty()) {
    o.set_reason("paid by " + Quote(state->return_terms().payer()));
  }
  OpenReturnRoute(ws, state, context, out);
}

Check DeclareError(Workspace& ws, v1::ShipmentState* state, const model::AdmittedEvent& admitted,
                   const model::BlockContext& context, std::vector<v1::ContractOutput>* out) {
  const v1::ErrorDeclaration& declaration = admitted.event.error_declaration();
  if (!admitted.event.has_error_declaration()) {
    return Rejection("error_declaration carries no error_declaration");
  }
  const std::string target = ToHex(declaration.event_id());
  const std::optional<model::EventFacts> facts = ws.Event(declaration.event_id());
  if (!facts.has_value() || facts->shipment_id != state->shipment_id()) {
    return Rejection("event " + target + " is not an event of shipment " + state->shipment_id());
  }
  if (facts->code != v1::RESULT_CODE_VALID) {
    return Rejection("event " + target +
                     " was not applied (its receipt is not VALID); there is nothing to "
                     "correct");
  }
  if (facts->signer_org != admitted.event.signer_org()) {
    return Rejection("event " + target + " was signed by " + Quote(facts->signer_org) +
                     "; only that organisation may declare it erroneous");
  }
  if (facts->type == v1::EVENT_TYPE_ERROR_DECLARATION) {
    return Rejection("an error declaration cannot itself be declared erroneous");
  }
  for (const v1::ErrorMark& mark : state->errors()) {
    if (mark.event_id() == declaration.event_id()) {
      return Rejection("event " + target + " was already declared erroneous at height " +
                       std::to_string(mark.height()));
    }
  }
  for (const std::string& corrective : declaration.corrective_event_ids()) {
    if (!IsValidEventOf(ws.Event(corrective), state->shipment_id())) {
      return Rejection("corrective event " + ToHex(corrective) +
                       " is not a VALID event of shipment " + state->shipment_id());
    }
  }
  v1::ErrorMark* mark = state->add_errors();
  mark->set_event_id(declaration.event_id());
  mark->set_reason(declaration.reason());
  *mark->mutable_corrective_event_ids() = declaration.corrective_event_ids();
  mark->set_declared_by(admitted.id);
  mark->set_height(context.height);
  v1::ContractOutput& o = out->emplace_back();
  o.set_kind(v1::ContractOutput::KIND_EVENT_ERRONEOUS);
  o.set_shipment_id(state->shipment_id());
  o.set_event_id(declaration.event_id());
  o.set_reason(declaration.reason());
  return std::nullopt;
}

}  // namespace shipledger::contracts
