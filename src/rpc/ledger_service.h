// LedgerService (DESIGN §8): admission of signed events and the read API over the store.
// Thread-safety: handlers run on gRPC's threads concurrently; all state lives in the Backend.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/node_defaults.h"
#include "rpc/auth.h"
#include "rpc/backend.h"
#include "rpc/refusal_tally.h"
#include "rpc/stall_watchdog.h"
#include "rpc/watch_quota.h"
#include "shipledger/v1/ledger.grpc.pb.h"

namespace shipledger::rpc {

// GetShipment is a streamed unary method: its handler owns the response and builds it in an
// arena (a 100-event timeline is thousands of small objects; docs/performance.md).
class LedgerService final
    : public v1::LedgerService::WithStreamedUnaryMethod_GetShipment<v1::LedgerService::Service> {
 public:
  // Watch streams are admitted by `watch_quota` (per organisation and per node; rpc/
  // watch_quota.h). A Watch stream whose write stays blocked for `watch_stall_ms` (the
  // subscriber stopped reading) is cancelled.
  // Every call is made by a Caller that `auth` identifies (REQUIRES: auth outlives this), and
  // sees only what DESIGN §8 lets that caller read: a shipment and its events go to its
  // parties, and a non-party gets NOT_FOUND exactly as for an unknown id.
  LedgerService(Backend* backend, const Authenticator* auth,
                const WatchQuotaOptions& watch_quota = {},
                uint32_t watch_stall_ms = model::kDefaultWatchStallMs)
      : backend_(backend),
        auth_(auth),
        watch_quota_(watch_quota),
        watchdog_(std::chrono::milliseconds(watch_stall_ms)),
        refusals_(backend->metrics()) {}

  // Every refusal, of the request or of events in it, is counted (RefusalTally).
  grpc::Status SubmitEvents(grpc::ServerContext* ctx, const v1::SubmitEventsRequest* req,
                            v1::SubmitEventsResponse* resp) override;
  grpc::Status GetEvent(grpc::ServerContext* ctx, const v1::GetEventRequest* req,
                        v1::GetEventResponse* resp) override;
  grpc::Status GetReceipt(grpc::ServerContext* ctx, const v1::GetReceiptRequest* req,
                          v1::Receipt* resp) override;
  grpc::Status StreamedGetShipment(
      grpc::ServerContext* ctx,
      grpc::ServerUnaryStreamer<v1::GetShipmentRequest, v1::GetShipmentResponse>* stream) override;
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
  // GetShipment's answer in an industry format (interop/; rpc/ledger_export.cc).
  grpc::Status ExportShipment(grpc::ServerContext* ctx, const v1::ExportShipmentRequest* req,
                              v1::ExportShipmentResponse* resp) override;

  uint32_t watchers() const { return watch_quota_.streams(); }
  // Watch streams per organisation, in organisation order ("" for insecure-mode callers).
  std::vector<std::pair<std::string, uint32_t>> watchers_by_org() const {
    return watch_quota_.StreamsByOrg();
  }
  uint64_t watchers_dropped() const { return watchdog_.dropped_total(); }
  // Streams ended to make room for another organisation's (rpc/watch_quota.h).
  uint64_t watchers_evicted() const { return watch_quota_.evicted_total(); }

 private:
  // The shipment's state when it exists and `caller` may read it; NOT_FOUND otherwise.
  Result<v1::ShipmentState> VisibleShipment(const Caller& caller,
                                            const std::string& shipment_id) const;
  // Whether `caller` may see `event`, committed at `height` (MaySeeEvent, with its shipment's
  // state as stored now).
  Result<bool> MaySee(const Caller& caller, const v1::Event& event, uint64_t height) const;
  // OK when `caller` may see this event committed at `height`; NOT_FOUND otherwise.
  Status CheckEventVisible(const Caller& caller, const v1::SignedEvent& event,
                           uint64_t height) const;
  // The same for a parsed event.
  Status CheckParsedEventVisible(const Caller& caller, const v1::Event& event,
                                 uint64_t height) const;
  // SubmitEvents without the counting of refusals.
  grpc::Status Submit(grpc::ServerContext* ctx, const v1::SubmitEventsRequest* req,
                      v1::SubmitEventsResponse* resp);
  // GetShipment's answer, built into *resp.
  grpc::Status BuildShipment(grpc::ServerContext* ctx, const v1::GetShipmentRequest& req,
                             v1::GetShipmentResponse* resp) const;

  Backend* backend_;
  const Authenticator* auth_;
  WatchQuota watch_quota_;
  StallWatchdog watchdog_;
  RefusalTally refusals_;
};

class AdminService final : public v1::AdminService::Service {
 public:
  AdminService(Backend* backend, const Authenticator* auth) : backend_(backend), auth_(auth) {}
  grpc::Status GetNodeStatus(grpc::ServerContext* ctx, const v1::GetNodeStatusRequest* req,
                             v1::NodeStatus* resp) override;
  grpc::Status CreateBackup(grpc::ServerContext* ctx, const v1::CreateBackupRequest* req,
                            v1::Backup* resp) override;

 private:
  Backend* backend_;
  const Authenticator* auth_;
};

// Maps our Status to a grpc::Status with the same code and message.
grpc::Status ToGrpc(const Status& status);
// The caller of a call on `ctx`; UNAUTHENTICATED (saying why) when it has no acceptable client
// certificate.
Result<Caller> CallerOf(const Authenticator& auth, const grpc::ServerContext& ctx);

}  // namespace shipledger::rpc
