// Importer (cli/importer.h): the mapping, signing and submitting that `shipledger import`
// and the gateway's capture share.
#include "cli/importer.h"

#include <openssl/rand.h>

#include <set>

#include "cli/event_builder.h"
#include "interop/dcsa_import.h"
#include "interop/epcis_export.h"
#include "interop/epcis_import.h"
#include "interop/json_fields.h"
#include "model/enum_names.h"
#include "model/event.h"
#include "model/validation.h"
#include "shipledger/clock.h"

namespace shipledger::cli {

namespace pb = google::protobuf;

// Finds the shipment an event is about: --shipment, its own shipment id (sl:shipment), a
// shipment booked earlier in this document under one of its references, or one on the chain
// (FindShipments).
class Importer::ShipmentFinder {
 public:
  ShipmentFinder(NodeClient& client, std::string forced)
      : client_(client), forced_(std::move(forced)) {}

  Result<std::string> Find(const v1::Event& event) {
    if (!forced_.empty()) return forced_;
    if (!event.shipment_id().empty()) return event.shipment_id();
    std::set<std::string> found;
    for (const auto& r : event.references()) {
      const auto local = booked_here_.find({r.kind(), r.value()});
      if (local != booked_here_.end()) found.insert(local->second);
      v1::FindShipmentsRequest request;
      *request.mutable_reference() = r;
      auto response = client_.FindShipments(request);
      if (!response.ok()) return response.status();
      for (const auto& id : response->shipment_ids()) found.insert(id);
    }
    if (found.size() == 1) return *found.begin();
    if (found.empty()) {
      return Status::NotFound(
          event.type() == v1::EVENT_TYPE_BOOKED
              ? "a booking needs a shipment id: give --shipment"
              : "it names no business transaction or container of a booked shipment: give "
                "--shipment");
    }
    std::string list;
    for (const auto& id : found) list += (list.empty() ? "" : ", ") + id;
    return Status::FailedPrecondition("its references match several shipments (" + list +
                                      "): give --shipment");
  }

  // A booking in the document: later events may name its references.
  void Booked(const v1::Event& event) {
    for (const auto& r : event.references())
      booked_here_[{r.kind(), r.value()}] = event.shipment_id();
  }

  // The shipment's state on the chain, or its booking earlier in the document, as the events
  // mapped so far leave it (Advance); nullptr when neither is known. The node's error when it
  // cannot be asked (anything but NOT_FOUND).
  Result<const v1::ShipmentState*> State(const std::string& shipment_id) {
    auto it = states_.find(shipment_id);
    if (it == states_.end()) {
      v1::GetShipmentRequest request;
      request.set_shipment_id(shipment_id);
      auto response = client_.GetShipment(request);
      std::optional<v1::ShipmentState> state;
      if (response.ok()) {
        state = response->state();
      } else if (response.status().code() != Code::kNotFound) {
        return response.status();
      }
      it = states_.emplace(shipment_id, std::move(state)).first;
    }
    return it->second ? &*it->second : nullptr;
  }

  // What an event mapped from the file does to the parts of the state mapping reads (customs
  // side, return), so that later events of the same file are read against it.
  void Advance(const v1::Event& event) {
    auto it = states_.find(event.shipment_id());
    if (it == states_.end() || !it->second) return;
    v1::ShipmentState& s = *it->second;
    switch (event.type()) {
      case v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED:
      case v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED:
        s.set_export_cleared(true);
        break;
      case v1::EVENT_TYPE_ARRIVED:
      case v1::EVENT_TYPE_DISCHARGED:
        s.set_status(v1::SHIPMENT_STATUS_ARRIVED);
        break;
      case v1::EVENT_TYPE_DELIVERED:
        s.set_status(v1::SHIPMENT_STATUS_DELIVERED);
        break;
      case v1::EVENT_TYPE_RETURN_REQUESTED:
        s.set_status(v1::SHIPMENT_STATUS_RETURN_REQUESTED);
        break;
      case v1::EVENT_TYPE_RETURN_PICKED_UP:
        s.set_status(v1::SHIPMENT_STATUS_RETURN_IN_TRANSIT);
        break;
      case v1::EVENT_TYPE_RETURNED:
        s.set_status(v1::SHIPMENT_STATUS_RETURNED);
        break;
      default:
        break;
    }
  }

  void Remember(const v1::Event& booking) {
    v1::ShipmentState state;
    state.set_shipment_id(booking.shipment_id());
    if (booking.booking().has_cold_chain())
      *state.mutable_cold_chain() = booking.booking().cold_chain();
    states_[booking.shipment_id()] = state;
  }

 private:
  NodeClient& client_;
  std::string forced_;
  std::map<std::pair<std::string, std::string>, std::string> booked_here_;
  std::map<std::string, std::optional<v1::ShipmentState>> states_;
};

namespace {

// The nonce of an event that brings none: derived from its id in its own system when it has
// one (so that importing it again is ALREADY_EXISTS), else random.
Result<std::string> NonceFor(const v1::Event& event, const std::string& source_id) {
  if (!source_id.empty()) {
    return interop::ImportNonce(event.signer_org(), event.shipment_id(), source_id);
  }
  std::string nonce(16, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), static_cast<int>(nonce.size())) !=
      1) {
    return Status::Internal("no random bytes for a nonce");
  }
  return nonce;
}

// Records in `item` why its event cannot be imported (the import goes on).
Status Refuse(ImportItem* item, const Status& why) {
  item->error = why.message();
  return Status::Ok();
}

// Maps one EPCIS event into item->event, or says in item->error why it cannot be imported. A
// Status that is not OK fails the import as a whole (the node could not be asked).
Status MapOneEpcis(const pb::Struct& in, const interop::Namespaces& ns, const std::string& chain_id,
                   const std::string& org, Importer::ShipmentFinder& finder, ImportItem* item) {
  auto id = interop::EventHashId(in, ns);
  item->source_id = id.ok() ? *id : interop::TextOf(in, "eventID");
  if (in.fields().contains("errorDeclaration")) {
    item->note =
        "it carries an errorDeclaration, which is not imported: declare it with event "
        "submit --type error_declaration";
  }
  auto event = interop::LedgerEventOfEpcis(in, ns, org);
  if (!event.ok()) return Refuse(item, event.status());
  auto shipment = finder.Find(*event);
  if (!shipment.ok()) return Refuse(item, shipment.status());
  event->set_shipment_id(*shipment);
  event->set_chain_id(chain_id);
  if (event->nonce().empty()) {
    SL_ASSIGN_OR_RETURN(std::string nonce, NonceFor(*event, item->source_id));
    event->set_nonce(std::move(nonce));
  }
  if (event->type() == v1::EVENT_TYPE_BOOKED) finder.Remember(*event);
  SL_ASSIGN_OR_RETURN(const v1::ShipmentState* state, finder.State(*shipment));
  const Status round_trip = interop::CheckRoundTrip(
      *event, in, ns, state != nullptr && state->has_cold_chain() ? &state->cold_chain() : nullptr);
  if (!round_trip.ok()) {
    item->error = round_trip.message();
  } else {
    if (event->type() == v1::EVENT_TYPE_BOOKED) finder.Booked(*event);
    finder.Advance(*event);
  }
  item->event = std::move(*event);
  return Status::Ok();
}

// The same for one DCSA event: mapped first without the shipment's state, to learn its
// references, then with it.
Status MapOneDcsa(const pb::Struct& in, const std::string& chain_id, const std::string& org,
                  Importer::ShipmentFinder& finder, ImportItem* item) {
  item->source_id = interop::TextOf(in, "eventID");
  auto event = interop::LedgerEventOfDcsa(in, nullptr, org);
  if (!event.ok()) return Refuse(item, event.status());
  auto shipment = finder.Find(*event);
  if (!shipment.ok()) return Refuse(item, shipment.status());
  SL_ASSIGN_OR_RETURN(const v1::ShipmentState* state, finder.State(*shipment));
  event = interop::LedgerEventOfDcsa(in, state, org);
  if (!event.ok()) return Refuse(item, event.status());
  event->set_shipment_id(*shipment);
  event->set_chain_id(chain_id);
  SL_ASSIGN_OR_RETURN(std::string nonce, NonceFor(*event, item->source_id));
  event->set_nonce(std::move(nonce));
  if (event->type() == v1::EVENT_TYPE_BOOKED) {
    finder.Remember(*event);
    finder.Booked(*event);
  }
  finder.Advance(*event);
  item->event = std::move(*event);
  return Status::Ok();
}

// Maps every event of an EPCIS document.
Result<std::vector<ImportItem>> MapEpcisEvents(const pb::Struct& doc, const std::string& chain_id,
                                               const std::string& org,
                                               Importer::ShipmentFinder& finder) {
  SL_ASSIGN_OR_RETURN(auto events, interop::EpcisEventsOf(doc));
  const auto context = doc.fields().find("@context");
  const interop::Namespaces ns =
      interop::NamespacesOf(context != doc.fields().end() ? context->second : pb::Value());
  std::vector<ImportItem> out(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    out[i].index = static_cast<int>(i + 1);
    SL_RETURN_IF_ERROR(MapOneEpcis(*events[i], ns, chain_id, org, finder, &out[i]));
  }
  return out;
}

// Maps every event of a DCSA array (or one event).
Result<std::vector<ImportItem>> MapDcsaEvents(const pb::Value& doc, const std::string& chain_id,
                                              const std::string& org,
                                              Importer::ShipmentFinder& finder) {
  std::vector<const pb::Struct*> events;
  if (doc.has_struct_value()) {
    events.push_back(&doc.struct_value());
  } else if (doc.has_list_value()) {
    for (int i = 0; i < doc.list_value().values_size(); ++i) {
      if (!doc.list_value().values(i).has_struct_value()) {
        return Status::InvalidArgument("event " + std::to_string(i + 1) + " is not a JSON object");
      }
      events.push_back(&doc.list_value().values(i).struct_value());
    }
  } else {
    return Status::InvalidArgument("not a DCSA event or an array of them");
  }
  std::vector<ImportItem> out(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    out[i].index = static_cast<int>(i + 1);
    SL_RETURN_IF_ERROR(MapOneDcsa(*events[i], chain_id, org, finder, &out[i]));
  }
  return out;
}

}  // namespace

Importer::Importer(NodeClient& client, config::Identity signer, std::string chain_id,
                   std::shared_ptr<const model::Genesis> genesis, std::string forced_shipment)
    : client_(client),
      signer_(std::move(signer)),
      chain_id_(std::move(chain_id)),
      genesis_(std::move(genesis)),
      finder_(std::make_unique<ShipmentFinder>(client, std::move(forced_shipment))) {}

Importer::~Importer() = default;

Result<std::vector<ImportItem>> Importer::MapEpcis(const pb::Struct& document) {
  return MapEpcisEvents(document, chain_id_, signer_.org(), *finder_);
}

Result<std::vector<ImportItem>> Importer::MapDcsa(const pb::Value& document) {
  return MapDcsaEvents(document, chain_id_, signer_.org(), *finder_);
}

Status Importer::Sign(std::vector<ImportItem>* items) const {
  for (ImportItem& item : *items) {
    if (!item.error.empty()) continue;
    const int64_t now = SystemClock::Get().NowMs();
    if (Status s = FillEvent(&item.event, chain_id_, signer_, {}, now); !s.ok()) {
      item.error = s.message();
      continue;
    }
    auto signed_event = SignEvent(item.event, signer_, {});
    if (!signed_event.ok()) return signed_event.status();
    if (genesis_ != nullptr) {
      auto checked = model::EventValidator(genesis_).Validate(
          *signed_event, {.cert_time_ms = now, .clock_now_ms = now});
      if (!checked.ok()) {
        item.error = "the node would refuse it: " + checked.status().message();
        continue;
      }
    }
    item.signed_event = std::move(*signed_event);
  }
  return Status::Ok();
}

Status Importer::Submit(const std::vector<ImportItem>& items,
                        const std::function<void(const ImportOutcome&)>& on_outcome) {
  std::vector<const ImportItem*> todo;
  for (const ImportItem& item : items) {
    if (item.error.empty()) todo.push_back(&item);
  }
  for (size_t start = 0; start < todo.size(); start += kBatch) {
    v1::SubmitEventsRequest request;
    request.set_wait_for_commit(true);
    const size_t end = std::min(todo.size(), start + kBatch);
    for (size_t k = start; k < end; ++k) *request.add_events() = todo[k]->signed_event;
    auto response = client_.SubmitEvents(request);
    if (!response.ok()) {
      return response.status().WithContext("submitting events " +
                                           std::to_string(todo[start]->index) + " and later");
    }
    if (static_cast<size_t>(response->results_size()) != end - start) {
      return Status::Internal("the node answered " + std::to_string(response->results_size()) +
                              " results for " + std::to_string(end - start) + " events");
    }
    for (int r_index = 0; r_index < response->results_size(); ++r_index) {
      const ImportItem& item = *todo[start + static_cast<size_t>(r_index)];
      const v1::SubmitResult& r = response->results(r_index);
      ImportOutcome outcome;
      outcome.item = &item;
      outcome.event_id = model::EventId(item.signed_event.event());
      if (r.has_receipt()) {  // committed (or committed before: ALREADY_EXISTS)
        outcome.result = model::EnumLabel(v1::ResultCode_descriptor(), r.receipt().code());
        outcome.reason = r.receipt().reason();
        outcome.receipt = r.receipt();
      } else if (r.code() == 0) {
        outcome.result = "PENDING";
      } else {
        outcome.result = "REFUSED (" + std::string(CodeName(static_cast<Code>(r.code()))) + ")";
        outcome.reason = r.message();
      }
      on_outcome(outcome);
    }
  }
  return Status::Ok();
}

}  // namespace shipledger::cli
