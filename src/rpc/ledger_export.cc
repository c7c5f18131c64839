// LedgerService.ExportShipment: GetShipment's answer as an EPCIS 2.0 document or DCSA T&T 2.2
// events (docs/interop.md).
#include <google/protobuf/util/json_util.h>

#include "interop/dcsa_export.h"
#include "interop/epcis_export.h"
#include "rpc/ledger_service.h"

namespace shipledger::rpc {

namespace {

void AddOmissions(const std::vector<interop::Omission>& omitted, v1::ExportShipmentResponse* resp) {
  for (const auto& o : omitted) *resp->add_omitted() = interop::OmissionProto(o);
}

Status ToJson(const google::protobuf::Message& message, std::string* out) {
  const auto status = google::protobuf::util::MessageToJsonString(message, out);
  if (!status.ok()) return Status::Internal("the document does not render as JSON");
  return Status::Ok();
}

}  // namespace

grpc::Status LedgerService::ExportShipment(grpc::ServerContext* ctx,
                                           const v1::ExportShipmentRequest* req,
                                           v1::ExportShipmentResponse* resp) {
  if (req->format() != v1::EXPORT_FORMAT_EPCIS && req->format() != v1::EXPORT_FORMAT_DCSA) {
    return ToGrpc(
        Status::InvalidArgument("format must be EXPORT_FORMAT_EPCIS or EXPORT_FORMAT_DCSA"));
  }
  v1::GetShipmentRequest get;
  get.set_shipment_id(req->shipment_id());
  v1::GetShipmentResponse shipment;
  // Who may read the shipment, and NOT_FOUND for the others, exactly as GetShipment.
  if (grpc::Status s = BuildShipment(ctx, get, &shipment); !s.ok()) return s;
  if (req->format() == v1::EXPORT_FORMAT_DCSA) {
    interop::DcsaExport out = interop::ExportDcsa(shipment);
    google::protobuf::Value list;
    *list.mutable_list_value() = std::move(out.events);
    if (Status s = ToJson(list, resp->mutable_document()); !s.ok()) return ToGrpc(s);
    resp->set_media_type("application/json");
    resp->set_events(static_cast<uint32_t>(list.list_value().values_size()));
    AddOmissions(out.omitted, resp);
    return grpc::Status::OK;
  }
  auto out = interop::ExportEpcis(
      shipment, {.creation_time_ms = backend_->clock().NowMs(), .private_values = {}});
  if (!out.ok()) return ToGrpc(Status::Internal(out.status().message()));
  if (Status s = ToJson(out->document, resp->mutable_document()); !s.ok()) return ToGrpc(s);
  resp->set_media_type("application/ld+json");
  resp->set_events(static_cast<uint32_t>(out->events));
  AddOmissions(out->omitted, resp);
  return grpc::Status::OK;
}

}  // namespace shipledger::rpc
