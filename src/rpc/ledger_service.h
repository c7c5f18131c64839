// LedgerService (DESIGN §8): admission of signed events and the read API over the store.
// Thread-safety: handlers run on gRPC's threads concurrently; all state lives in the Backend.
#pragma once

#include <atomic>

#include "rpc/backend.h"
#include "rpc/stall_watchdog.h"
#include "shipledger/v1/ledger.grpc.pb.h"

namespace shipledger::rpc {

class LedgerService final : public v1::LedgerService::Service {
 public:
  // A Watch stream whose write stays blocked for `watch_stall_ms` (the subscriber stopped
  // reading) is cancelled.
  explicit LedgerService(Backend* backend, uint32_t max_watchers = 256,
                         uint32_t watch_stall_ms = 10000)
      : backend_(backend),
        max_watchers_(max_watchers),
        watchdog_(std::chrono::milliseconds(watch_stall_ms)) {}

  grpc::Status SubmitEvents(grpc::ServerContext* ctx, const v1::SubmitEventsRequest* req,
                            v1::SubmitEventsResponse* resp) override;
  grpc::Status GetEvent(grpc::ServerContext* ctx, const v1::GetEventRequest* req,
                        v1::GetEventResponse* resp) override;
  grpc::Status GetReceipt(grpc::ServerContext* ctx, const v1::GetReceiptRequest* req,
                          v1::Receipt* resp) override;
  grpc::Status GetShipment(grpc::ServerContext* ctx, const v1::GetShipmentRequest* req,
                           v1::GetShipmentResponse* resp) override;
  grpc::Status ListShipments(grpc::ServerContext* ctx, const v1::ListShipmentsRequest* req,
                             v1::ListShipmentsResponse* resp) override;
  grpc::Status FindShipments(grpc::ServerContext* ctx, const v1::FindShipmentsRequest* req,
                             v1::FindShipmentsResponse* resp) override;
  grpc::Status GetBlock(grpc::ServerContext* ctx, const v1::GetBlockRequest* req,
                        v1::Block* resp) override;
  grpc::Status GetChainInfo(grpc::ServerContext* ctx, const v1::GetChainInfoRequest* req,
                            v1::ChainInfo* resp) override;
  grpc::Status Watch(grpc::ServerContext* ctx, const v1::WatchRequest* req,
                     grpc::ServerWriter<v1::WatchResponse>* writer) override;
  // With wait_for_certified, waits (client deadline capped by max_wait_ms) until a stable
  // checkpoint covers the event's height, polling the store as blocks commit.
  grpc::Status GetEventProof(grpc::ServerContext* ctx, const v1::GetEventProofRequest* req,
                             v1::EventProof* resp) override;

  uint32_t watchers() const { return watchers_.load(); }
  uint64_t watchers_dropped() const { return watchdog_.dropped_total(); }

 private:
  Backend* backend_;
  uint32_t max_watchers_;
  std::atomic<uint32_t> watchers_{0};
  StallWatchdog watchdog_;
};

class AdminService final : public v1::AdminService::Service {
 public:
  explicit AdminService(Backend* backend) : backend_(backend) {}
  grpc::Status GetNodeStatus(grpc::ServerContext* ctx, const v1::GetNodeStatusRequest* req,
                             v1::NodeStatus* resp) override;

 private:
  Backend* backend_;
};

// Maps our Status to a grpc::Status with the same code and message.
grpc::Status ToGrpc(const Status& status);

}  // namespace shipledger::rpc
