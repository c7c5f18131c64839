// `export epcis|dcsa`: a shipment as a GS1 EPCIS 2.0 document or DCSA T&T 2.2 events
// (docs/interop.md, "Export").
#include <google/protobuf/util/json_util.h>

#include "cli/commands.h"
#include "cli/json.h"
#include "cli/message_file.h"
#include "cli/private_fields.h"
#include "config/identity.h"
#include "interop/epcis_export.h"
#include "model/enum_names.h"
#include "model/private_fields.h"
#include "shipledger/clock.h"

namespace shipledger::cli {

namespace {

namespace pb = google::protobuf;

// The private fields of the shipment's events that the --identity's organisation may read,
// opened with its key, by ledger event id. A field that does not match its commitment is left
// out and named on stderr.
Result<std::map<std::string, std::vector<std::pair<std::string, std::string>>>> OpenPrivate(
    const GlobalOptions& global, const ExportOptions& options,
    const v1::GetShipmentResponse& shipment, const Io& io) {
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> out;
  if (global.connect.identity_dir.empty()) {
    return Status::InvalidArgument(
        "--private needs --identity (whose organisation's key opens "
        "the fields)");
  }
  auto identity = config::LoadIdentity(global.connect.identity_dir);
  if (!identity.ok()) return identity.status().WithContext("--identity");
  const std::string org = identity->org();
  std::optional<crypto::PrivateKey> key;
  for (const auto& entry : shipment.timeline()) {
    if (!entry.event().has_private_envelope() || !model::IsReader(entry.event(), org)) continue;
    if (!key) {
      SL_ASSIGN_OR_RETURN(
          crypto::PrivateKey loaded,
          LoadEncryptionKey(global.connect.identity_dir, options.encryption_key_path, org));
      key = std::move(loaded);
    }
    auto opened = model::Open(entry.event(), org, *key);
    if (!opened.ok()) {
      // One event's envelope (which its signer wrote) does not keep the others from opening.
      io.err << "warning: the private fields of event " << ToHex(entry.event_id())
             << " do not open: " << opened.status().message() << '\n';
      continue;
    }
    for (const auto& f : *opened) {
      if (!f.status.ok()) {
        io.err << "warning: private field '" << f.name << "' of event " << ToHex(entry.event_id())
               << " left out: " << f.status.message() << '\n';
        continue;
      }
      out[entry.event_id()].emplace_back(f.name, f.value);
    }
  }
  return out;
}

// The export, either from the node (ExportShipment) or, to open private fields, built here.
Result<v1::ExportShipmentResponse> Fetch(const GlobalOptions& global, const ExportOptions& options,
                                         NodeClient& client, const Io& io) {
  if (!options.open_private) {
    v1::ExportShipmentRequest request;
    request.set_shipment_id(options.shipment_id);
    request.set_format(options.format == "dcsa" ? v1::EXPORT_FORMAT_DCSA : v1::EXPORT_FORMAT_EPCIS);
    auto response = client.ExportShipment(request);
    if (response.status().code() == Code::kNotFound) {
      // FetchShipment's NOT_FOUND says how to list the shipments one may read.
      auto shipment = FetchShipment(client, options.shipment_id);
      if (!shipment.ok()) return shipment.status();
    }
    return response;
  }
  SL_ASSIGN_OR_RETURN(v1::GetShipmentResponse shipment, FetchShipment(client, options.shipment_id));
  SL_ASSIGN_OR_RETURN(auto opened, OpenPrivate(global, options, shipment, io));
  auto exported = interop::ExportEpcis(
      shipment, {.creation_time_ms = SystemClock().NowMs(), .private_values = std::move(opened)});
  if (!exported.ok()) return exported.status();
  v1::ExportShipmentResponse out;
  if (!pb::util::MessageToJsonString(exported->document, out.mutable_document()).ok()) {
    return Status::Internal("the document does not render as JSON");
  }
  out.set_media_type("application/ld+json");
  out.set_events(static_cast<uint32_t>(exported->events));
  for (const auto& o : exported->omitted) *out.add_omitted() = interop::OmissionProto(o);
  return out;
}

}  // namespace

int RunExport(const GlobalOptions& global, const ExportOptions& options, const Io& io) {
  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  auto response = Fetch(global, options, **connected, io);
  if (!response.ok()) return ReportError(io, response.status());
  pb::Value document;
  if (!pb::util::JsonStringToMessage(response->document(), &document).ok()) {
    return ReportError(io, Status::Internal("the node's document is not JSON"));
  }
  const std::string text = RenderJson(document);
  if (!options.out.empty()) {
    if (Status s = WriteTextFile(options.out, text + "\n"); !s.ok()) return ReportError(io, s);
  }
  if (global.json) {
    JsonObject out;
    out.Set("format", std::string_view(options.format));
    out.Set("shipment_id", std::string_view(options.shipment_id));
    out.Set("media_type", std::string_view(response->media_type()));
    out.Set("events", response->events());
    std::vector<pb::Value> omitted;
    for (const auto& o : response->omitted()) omitted.push_back(MessageToJsonValue(o));
    out.Set("omitted", JsonList(omitted));
    if (options.out.empty()) {
      out.Set("document", document);
    } else {
      out.Set("out", std::string_view(options.out));
    }
    PrintJson(io.out, out);
    return kExitOk;
  }
  if (options.out.empty()) {
    io.out << text << '\n';
  } else {
    io.out << "wrote " << response->events() << " event(s) of " << options.shipment_id << " to "
           << options.out << '\n';
  }
  for (const auto& o : response->omitted()) {
    io.err << "left out: height " << o.height() << " #" << o.index() << " "
           << model::EventTypeName(o.type()) << ": " << o.why() << '\n';
  }
  return kExitOk;
}

}  // namespace shipledger::cli
