// The CLI's gRPC client of one node (LedgerService, AdminService of ledger.proto, and the
// standard grpc.health.v1 health check). Every call
// has a deadline and turns a failed RPC into a Status whose message says what to do next
// (e.g. how to start the node when it cannot be reached).
// Thread-safety: used by one thread.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "grpc/health/v1/health.grpc.pb.h"
#include "shipledger/status.h"
#include "shipledger/v1/ledger.grpc.pb.h"

namespace shipledger::cli {

// Default: the first node `network init` configures (base port 7050).
inline constexpr std::string_view kDefaultNode = "127.0.0.1:7050";

class NodeClient {
 public:
  // Connects lazily to `target` (host:port) with `credentials` (see connection.h).
  NodeClient(std::string target, std::shared_ptr<grpc::ChannelCredentials> credentials);

  const std::string& target() const { return target_; }

  // Deadline for reads and for submissions without waiting. Default: 10 s.
  static constexpr std::chrono::milliseconds kCallTimeout{10000};
  // Deadline for SubmitEvents with wait_for_commit and GetEventProof with wait_for_certified;
  // the node caps its wait at 30 s by default.
  static constexpr std::chrono::milliseconds kWaitTimeout{65000};

  Result<v1::ChainInfo> GetChainInfo();
  Result<v1::SubmitEventsResponse> SubmitEvents(const v1::SubmitEventsRequest& request);
  Result<v1::GetEventResponse> GetEvent(const v1::GetEventRequest& request);
  Result<v1::GetShipmentResponse> GetShipment(const v1::GetShipmentRequest& request);
  Result<v1::ListShipmentsResponse> ListShipments(const v1::ListShipmentsRequest& request);
  Result<v1::FindShipmentsResponse> FindShipments(const v1::FindShipmentsRequest& request);
  Result<v1::Block> GetBlock(const v1::GetBlockRequest& request);
  Result<v1::NodeStatus> GetNodeStatus();
  // AdminService.CreateBackup; deadline kBackupTimeout (copying a big store off the live
  // store's filesystem takes a while).
  Result<v1::Backup> CreateBackup();
  static constexpr std::chrono::milliseconds kBackupTimeout{600000};
  // grpc.health.v1.Health/Check of `service` ("" for the node as a whole); NOT_FOUND for a
  // service the node does not serve.
  Result<grpc::health::v1::HealthCheckResponse::ServingStatus> CheckHealth(
      const std::string& service);
  // With wait_for_certified the deadline is kWaitTimeout (the node caps its own wait).
  Result<v1::EventProof> GetEventProof(const v1::GetEventProofRequest& request);
  Result<v1::ExportShipmentResponse> ExportShipment(const v1::ExportShipmentRequest& request);

  // Opens a Watch stream. The caller reads with reader->Read() and ends with Finish(); the
  // returned context must outlive the reader. Use StatusOf() on Finish()'s result.
  struct WatchStream {
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<grpc::ClientReader<v1::WatchResponse>> reader;
  };
  WatchStream Watch(const v1::WatchRequest& request);

  // OK for an OK status; otherwise a Status of the same code whose message names the node,
  // the code and what to do, prefixed with `what` (e.g. "GetBlock 7").
  Status StatusOf(const grpc::Status& status, std::string_view what) const;

 private:
  std::unique_ptr<grpc::ClientContext> NewContext(std::chrono::milliseconds timeout) const;

  std::string target_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::LedgerService::Stub> ledger_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

}  // namespace shipledger::cli
