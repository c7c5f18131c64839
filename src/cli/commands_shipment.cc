// `shipment show|list|find` and `watch`: shipment tracking.
#include "cli/commands.h"
#include "cli/json.h"
#include "cli/output.h"
#include "cli/views.h"
#include "cli/views_contract.h"
#include "model/event.h"
#include "shipledger/bytes.h"

namespace shipledger::cli {

namespace {

std::string HoldText(const v1::ShipmentState& s) {
  switch (s.hold()) {
    case v1::CUSTOMS_SIDE_EXPORT:
      return "held by export customs" + (s.hold_reason().empty() ? "" : ": " + s.hold_reason());
    case v1::CUSTOMS_SIDE_IMPORT:
      return "held by import customs" + (s.hold_reason().empty() ? "" : ": " + s.hold_reason());
    default:
      return "none";
  }
}

std::string Padded(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

Result<v1::GetShipmentResponse> FetchShipment(NodeClient& client, const std::string& shipment_id) {
  v1::GetShipmentRequest request;
  request.set_shipment_id(shipment_id);
  auto response = client.GetShipment(request);
  if (response.status().code() == Code::kNotFound) {
    return Status::NotFound("no shipment '" + shipment_id +
                            "' on the chain (or the --identity's organisation is not a party to "
                            "it); list yours with: shipledger shipment list");
  }
  return response;
}

int RunShipmentShow(const GlobalOptions& global, const ShowOptions& options, const Io& io) {
  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  auto response = FetchShipment(**connected, options.id);
  if (!response.ok()) return ReportError(io, response.status());
  const v1::ShipmentState& s = response->state();
  if (global.json) {
    std::vector<google::protobuf::Value> timeline;
    for (const auto& entry : response->timeline()) {
      JsonObject item = TimelineEntryJson(entry);
      if (const v1::ErrorMark* mark = FindErrorMark(s, entry.event_id())) {
        item.Set("erroneous", MessageToJsonValue(*mark));
      } else {
        item.SetNull("erroneous");
      }
      timeline.push_back(item.ToValue());
    }
    JsonObject doc;
    doc.Set("shipment_id", std::string_view(options.id));
    doc.Set("state", MessageToJsonValue(s));
    doc.Set("timeline", JsonList(timeline));
    PrintJson(io.out, doc);
    return kExitOk;
  }
  std::vector<std::pair<std::string, std::string>> fields = {
      {"shipment", options.id},
      {"status", StatusLabel(s.status())},
      {"custodian", s.custodian().empty() ? "-" : s.custodian()},
      {"parties", s.parties().empty() ? "-" : Join({s.parties().begin(), s.parties().end()}, ", ")},
      {"hold", HoldText(s)},
      {"booked", "by " + s.booked_by() + " at height " + std::to_string(s.booked_height())},
      {"events", std::to_string(s.event_count()) + " valid of " +
                     std::to_string(response->timeline_size()) + " recorded"}};
  if (s.last_event_ms() > 0) {
    fields.emplace_back("last", FormatTimeMs(s.last_event_ms()) +
                                    (s.last_location().empty() ? "" : " at " + s.last_location()));
  }
  if (s.delivered_at_ms() > 0) fields.emplace_back("delivered", FormatTimeMs(s.delivered_at_ms()));
  PrintFields(io.out, fields);
  PrintContractState(io.out, s);
  if (response->timeline_size() > 0) {
    TextTable table;
    table.AddRow(TimelineHeader());
    for (const auto& entry : response->timeline()) {
      table.AddRow(TimelineRow(entry));
      for (auto& note : TimelineNotes(entry, s)) table.AddNote(std::move(note));
    }
    io.out << '\n';
    table.Print(io.out);
  }
  return kExitOk;
}

int RunShipmentList(const GlobalOptions& global, const ShipmentListOptions& options, const Io& io) {
  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  NodeClient& client = **connected;
  v1::ListShipmentsRequest request;
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  request.set_excursions_only(options.excursions_only);
  std::vector<v1::ShipmentState> shipments;
  std::string next_token;
  while (true) {
    auto page = client.ListShipments(request);
    if (!page.ok()) return ReportError(io, page.status());
    shipments.insert(shipments.end(), page->shipments().begin(), page->shipments().end());
    next_token = page->next_page_token();
    // A token that does not move would loop forever: stop and show it instead.
    if (!options.all || next_token.empty() || next_token == request.page_token()) break;
    request.set_page_token(next_token);
  }
  if (global.json) {
    std::vector<google::protobuf::Value> items;
    for (const auto& s : shipments) items.push_back(MessageToJsonValue(s));
    JsonObject doc;
    doc.Set("shipments", JsonList(items));
    doc.Set("next_page_token", std::string_view(next_token));
    PrintJson(io.out, doc);
    return kExitOk;
  }
  if (shipments.empty()) {
    io.out << "no shipments" << (options.excursions_only ? " with an excursion" : "")
           << (options.page_token.empty() ? " on the chain" : " on this page") << '\n';
    return kExitOk;
  }
  TextTable table;
  table.AddRow({"SHIPMENT", "STATUS", "CUSTODIAN", "HOLD", "EXCURSION", "EVENTS", "LAST EVENT"});
  for (const auto& s : shipments) {
    table.AddRow({s.shipment_id(), StatusLabel(s.status()),
                  s.custodian().empty() ? "-" : s.custodian(),
                  s.hold() == v1::CUSTOMS_SIDE_NONE ? "-" : "HELD", s.excursion() ? "YES" : "-",
                  std::to_string(s.event_count()),
                  s.last_event_ms() > 0 ? FormatTimeMs(s.last_event_ms()) : "-"});
  }
  table.Print(io.out);
  if (!next_token.empty()) {
    io.out << "more: shipledger shipment list --page-token " << next_token << " (or --all)\n";
  }
  return kExitOk;
}

int RunShipmentFind(const GlobalOptions& global, const ShipmentFindOptions& options, const Io& io) {
  auto kv = ParseKeyValue(options.reference, "--ref", "bill_of_lading=MAEU123456789");
  if (!kv.ok()) return ReportError(io, kv.status());
  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  NodeClient& client = **connected;
  v1::FindShipmentsRequest request;
  request.mutable_reference()->set_kind(kv->first);
  request.mutable_reference()->set_value(kv->second);
  auto response = client.FindShipments(request);
  if (!response.ok()) return ReportError(io, response.status());
  const std::vector<std::string> ids(response->shipment_ids().begin(),
                                     response->shipment_ids().end());
  if (global.json) {
    JsonObject reference;
    reference.Set("kind", std::string_view(kv->first));
    reference.Set("value", std::string_view(kv->second));
    JsonObject doc;
    doc.Set("reference", reference);
    doc.SetStrings("shipment_ids", ids);
    PrintJson(io.out, doc);
    return kExitOk;
  }
  if (ids.empty()) {
    io.out << "no shipment has a valid event with reference " << options.reference << '\n';
    return kExitOk;
  }
  for (const auto& id : ids) io.out << id << '\n';
  return kExitOk;
}

int RunWatch(const GlobalOptions& global, const WatchOptions& options, const Io& io) {
  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  NodeClient& client = **connected;
  v1::WatchRequest request;
  request.set_from_height(options.from_height);
  request.set_shipment_id(options.shipment_id);
  NodeClient::WatchStream stream = client.Watch(request);
  uint64_t seen = 0;
  bool stopped = false;
  v1::WatchResponse response;
  while (stream.reader->Read(&response)) {
    const v1::TimelineEntry& entry = response.entry();
    if (global.json) {
      JsonObject line = TimelineEntryJson(entry);
      line.SetHex("block_hash", response.block_hash());
      std::vector<google::protobuf::Value> alerts;
      for (const auto& a : response.alerts()) alerts.push_back(MessageToJsonValue(a));
      line.Set("alerts", JsonList(alerts));
      PrintJson(io.out, line, /*one_line=*/true);
    } else {
      const v1::Event& e = entry.event();
      io.out << Padded(std::to_string(response.height()), 7) << ' '
             << Padded(FormatTimeMs(response.block_time_ms()), 25) << ' '
             << Padded(e.shipment_id(), 16) << ' ' << Padded(model::EventTypeName(e.type()), 24)
             << ' ' << Padded(e.signer_org(), 12) << ' '
             << Padded(e.location().empty() ? "-" : e.location(), 6) << ' '
             << ToHex(entry.event_id()).substr(0, 16) << ' '
             << (entry.has_receipt() ? ReceiptSummary(entry.receipt()) : "(no receipt)") << '\n';
      for (const auto& a : response.alerts()) io.out << WatchAlertLine(a) << '\n';
    }
    io.out.flush();
    if (options.count > 0 && ++seen >= options.count) {
      stopped = true;
      stream.context->TryCancel();
      break;
    }
  }
  const grpc::Status status = stream.reader->Finish();
  if (stopped) return kExitOk;
  if (!status.ok()) return ReportError(io, client.StatusOf(status, "Watch"));
  return kExitOk;
}

}  // namespace shipledger::cli
