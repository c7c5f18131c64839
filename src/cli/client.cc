#include "cli/client.h"

namespace shipledger::cli {

namespace {

// Blocks carry up to batch_max_events signed events of up to 32 KiB each: far above gRPC's
// default 4 MiB receive limit.
constexpr int kMaxReceiveBytes = 256 << 20;

template <typename Response, typename Call>
Result<Response> Unary(const NodeClient& client, std::unique_ptr<grpc::ClientContext> context,
                       std::string_view what, Call call) {
  Response response;
  const grpc::Status status = call(context.get(), &response);
  if (!status.ok()) return client.StatusOf(status, what);
  return response;
}

}  // namespace

NodeClient::NodeClient(std::string target, std::shared_ptr<grpc::ChannelCredentials> credentials)
    : target_(std::move(target)) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxReceiveBytes);
  channel_ = grpc::CreateCustomChannel(target_, std::move(credentials), args);
  ledger_ = v1::LedgerService::NewStub(channel_);
  admin_ = v1::AdminService::NewStub(channel_);
  health_ = grpc::health::v1::Health::NewStub(channel_);
}

std::unique_ptr<grpc::ClientContext> NodeClient::NewContext(
    std::chrono::milliseconds timeout) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  return context;
}

Status NodeClient::StatusOf(const grpc::Status& status, std::string_view what) const {
  if (status.ok()) return Status::Ok();
  const auto code = static_cast<Code>(status.error_code());
  const std::string name(CodeName(code));
  const std::string detail =
      status.error_message().empty() ? name : name + ": " + status.error_message();
  const std::string prefix = std::string(what) + ": ";
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      // The node itself answered (e.g. "shutting down; resume with from_height N"): say that.
      if (status.error_message().find("shutting down") != std::string::npos) {
        return Status(code, prefix + "node at " + target_ + " answered: " + status.error_message());
      }
      return Status(code, "cannot reach node at " + target_ + " (" + detail +
                              "): is shipledgerd running? start it with: shipledgerd --config "
                              "DIR/node.yaml, or name another node with --node HOST:PORT (if it "
                              "runs, check that --genesis is its network's: the node's TLS "
                              "certificate is checked against it)");
    case grpc::StatusCode::UNAUTHENTICATED:
      return Status(code, prefix + "node at " + target_ + " did not admit this client (" + detail +
                              "); give --identity NET/ORG/clients/NAME");
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return Status(code, prefix + "node at " + target_ + " did not answer in time (" + detail +
                              "); check it with: shipledger status --node " + target_);
    case grpc::StatusCode::UNIMPLEMENTED:
      return Status(code, prefix + "node at " + target_ + " does not offer this call (" + detail +
                              "): is it a shipledgerd of the same version as this CLI?");
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return Status(code,
                    prefix + "node at " + target_ + " is busy (" + detail + "); retry in a moment");
    case grpc::StatusCode::PERMISSION_DENIED:
      return Status(code, prefix + "node at " + target_ + " refused (" + detail + ")");
    default:
      return Status(code, prefix + detail);
  }
}

Result<v1::ChainInfo> NodeClient::GetChainInfo() {
  return Unary<v1::ChainInfo>(*this, NewContext(kCallTimeout), "GetChainInfo",
                              [this](grpc::ClientContext* c, v1::ChainInfo* r) {
                                return ledger_->GetChainInfo(c, v1::GetChainInfoRequest(), r);
                              });
}

Result<v1::SubmitEventsResponse> NodeClient::SubmitEvents(const v1::SubmitEventsRequest& request) {
  return Unary<v1::SubmitEventsResponse>(
      *this, NewContext(request.wait_for_commit() ? kWaitTimeout : kCallTimeout), "SubmitEvents",
      [this, &request](grpc::ClientContext* c, v1::SubmitEventsResponse* r) {
        return ledger_->SubmitEvents(c, request, r);
      });
}

Result<v1::GetEventResponse> NodeClient::GetEvent(const v1::GetEventRequest& request) {
  return Unary<v1::GetEventResponse>(
      *this, NewContext(kCallTimeout), "GetEvent",
      [this, &request](grpc::ClientContext* c, v1::GetEventResponse* r) {
        return ledger_->GetEvent(c, request, r);
      });
}

Result<v1::GetShipmentResponse> NodeClient::GetShipment(const v1::GetShipmentRequest& request) {
  return Unary<v1::GetShipmentResponse>(
      *this, NewContext(kCallTimeout), "GetShipment",
      [this, &request](grpc::ClientContext* c, v1::GetShipmentResponse* r) {
        return ledger_->GetShipment(c, request, r);
      });
}

Result<v1::ListShipmentsResponse> NodeClient::ListShipments(
    const v1::ListShipmentsRequest& request) {
  return Unary<v1::ListShipmentsResponse>(
      *this, NewContext(kCallTimeout), "ListShipments",
      [this, &request](grpc::ClientContext* c, v1::ListShipmentsResponse* r) {
        return ledger_->ListShipments(c, request, r);
      });
}

Result<v1::FindShipmentsResponse> NodeClient::FindShipments(
    const v1::FindShipmentsRequest& request) {
  return Unary<v1::FindShipmentsResponse>(
      *this, NewContext(kCallTimeout), "FindShipments",
      [this, &request](grpc::ClientContext* c, v1::FindShipmentsResponse* r) {
        return ledger_->FindShipments(c, request, r);
      });
}

Result<v1::Block> NodeClient::GetBlock(const v1::GetBlockRequest& request) {
  return Unary<v1::Block>(*this, NewContext(kCallTimeout), "GetBlock",
                          [this, &request](grpc::ClientContext* c, v1::Block* r) {
                            return ledger_->GetBlock(c, request, r);
                          });
}

Result<v1::NodeStatus> NodeClient::GetNodeStatus() {
  return Unary<v1::NodeStatus>(*this, NewContext(kCallTimeout), "GetNodeStatus",
                               [this](grpc::ClientContext* c, v1::NodeStatus* r) {
                                 return admin_->GetNodeStatus(c, v1::GetNodeStatusRequest(), r);
                               });
}

Result<v1::Backup> NodeClient::CreateBackup() {
  return Unary<v1::Backup>(*this, NewContext(kBackupTimeout), "CreateBackup",
                           [this](grpc::ClientContext* c, v1::Backup* r) {
                             return admin_->CreateBackup(c, v1::CreateBackupRequest(), r);
                           });
}

Result<grpc::health::v1::HealthCheckResponse::ServingStatus> NodeClient::CheckHealth(
    const std::string& service) {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  auto response = Unary<grpc::health::v1::HealthCheckResponse>(
      *this, NewContext(kCallTimeout), "health check",
      [this, &request](grpc::ClientContext* c, grpc::health::v1::HealthCheckResponse* r) {
        return health_->Check(c, request, r);
      });
  if (!response.ok()) return response.status();
  return response->status();
}

Result<v1::EventProof> NodeClient::GetEventProof(const v1::GetEventProofRequest& request) {
  return Unary<v1::EventProof>(
      *this, NewContext(request.wait_for_certified() ? kWaitTimeout : kCallTimeout),
      "GetEventProof", [this, &request](grpc::ClientContext* c, v1::EventProof* r) {
        return ledger_->GetEventProof(c, request, r);
      });
}

Result<v1::ExportShipmentResponse> NodeClient::ExportShipment(
    const v1::ExportShipmentRequest& request) {
  return Unary<v1::ExportShipmentResponse>(
      *this, NewContext(kCallTimeout), "ExportShipment",
      [this, &request](grpc::ClientContext* c, v1::ExportShipmentResponse* r) {
        return ledger_->ExportShipment(c, request, r);
      });
}

NodeClient::WatchStream NodeClient::Watch(const v1::WatchRequest& request) {
  WatchStream stream;
  // No deadline: a watch runs until the user stops it.
  stream.context = std::make_unique<grpc::ClientContext>();
  stream.reader = ledger_->Watch(stream.context.get(), request);
  return stream;
}

}  // namespace shipledger::cli
