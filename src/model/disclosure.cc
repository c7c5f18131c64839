#include "model/disclosure.h"

#include <set>

namespace shipledger::model {

Result<v1::Disclosure> MakeDisclosure(v1::EventProof proof, const std::vector<OpenedField>& opened,
                                      const std::vector<std::string>& names) {
  if (names.empty()) return Status::InvalidArgument("choose at least one field to disclose");
  v1::Disclosure disclosure;
  std::set<std::string, std::less<>> chosen;
  for (const std::string& name : names) {
    if (!chosen.insert(name).second) {
      return Status::InvalidArgument("field '" + name + "' chosen twice");
    }
    auto it = std::find_if(opened.begin(), opened.end(),
                           [&](const OpenedField& f) { return f.name == name; });
    if (it == opened.end()) {
      return Status::NotFound("the event has no private field '" + name + "'");
    }
    if (!it->status.ok()) {
      return Status::InvalidArgument("field '" + name +
                                     "' cannot be disclosed: " + it->status.message());
    }
    v1::DisclosedField* field = disclosure.add_fields();
    field->set_name(it->name);
    field->set_value(it->value);
    field->set_salt(it->salt);
  }
  *disclosure.mutable_proof() = std::move(proof);
  return disclosure;
}

Result<DisclosureVerdict> VerifyDisclosure(std::shared_ptr<const Genesis> genesis,
                                           const v1::Disclosure& disclosure) {
  if (disclosure.fields_size() == 0) {
    return Status::InvalidArgument("the disclosure discloses no field");
  }
  DisclosureVerdict verdict;
  SL_ASSIGN_OR_RETURN(verdict.proof, VerifyEventProof(std::move(genesis), disclosure.proof()));
  std::set<std::string, std::less<>> seen;
  for (const v1::DisclosedField& field : disclosure.fields()) {
    if (!seen.insert(field.name()).second) {
      return Status::InvalidArgument("disclosed field '" + field.name() + "' appears twice");
    }
    // The event in the verdict is the one whose signature and inclusion were just checked.
    Status s = VerifyDisclosedField(verdict.proof.event, field.name(), field.value(), field.salt());
    if (!s.ok()) {
      return Status::InvalidArgument(
          "disclosed field '" + field.name() +
          "' does not match what the signer committed to: " + s.message());
    }
    verdict.fields.emplace_back(field.name(), field.value());
  }
  return verdict;
}

}  // namespace shipledger::model
