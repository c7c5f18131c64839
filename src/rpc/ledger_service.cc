#include "rpc/ledger_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "model/digest.h"
#include "rpc/event_proof.h"
#include "rpc/timeline.h"

namespace shipledger::rpc {

namespace {

using Clock = std::chrono::steady_clock;

Status CheckEventId(const std::string& id) {
  if (id.size() != model::kDigestSize) {
    return Status::InvalidArgument("event_id must be 32 bytes (64 hex characters), got " +
                                   std::to_string(id.size()) + " bytes");
  }
  return Status::Ok();
}

// The time SubmitEvents may wait: the client's deadline, capped by the node's max_wait_ms.
Clock::time_point WaitDeadline(const grpc::ServerContext* ctx, uint32_t max_wait_ms) {
  const auto cap = Clock::now() + std::chrono::milliseconds(max_wait_ms);
  const auto client = ctx->deadline();  // system_clock
  const auto remaining = client - std::chrono::system_clock::now();
  if (remaining <= std::chrono::milliseconds(0)) return Clock::now();
  // Leave the client a little time to receive the answer before its deadline.
  const auto client_steady = Clock::now() + remaining - std::chrono::milliseconds(50);
  return std::min(cap, client_steady);
}

}  // namespace

grpc::Status ToGrpc(const Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), status.message());
}

Result<Caller> CallerOf(const Authenticator& auth, const grpc::ServerContext& ctx) {
  const std::shared_ptr<const grpc::AuthContext> context = ctx.auth_context();
  if (context == nullptr) {
    return Status(Code::kUnauthenticated, "the call carries no transport security context");
  }
  return auth.Identify(*context);
}

// Identifies the caller of a handler or returns its UNAUTHENTICATED status.
#define SL_RPC_CALLER(caller, auth, ctx)                      \
  auto caller##_or = CallerOf(auth, *(ctx));                  \
  if (!caller##_or.ok()) return ToGrpc(caller##_or.status()); \
  const Caller& caller = *caller##_or

Result<v1::ShipmentState> LedgerService::VisibleShipment(const Caller& caller,
                                                         const std::string& shipment_id) const {
  auto state = backend_->store().ReadShipmentState(shipment_id);
  if (!state.ok()) return state.status();
  // DESIGN §8: a non-party learns nothing, not even that the shipment exists.
  if (!state->has_value() || !MayRead(caller, backend_->genesis(), **state)) {
    return Status::NotFound("shipment " + shipment_id + " not found");
  }
  return std::move(**state);
}

Result<bool> LedgerService::MaySee(const Caller& caller, const v1::Event& event,
                                   uint64_t height) const {
  if (caller.unrestricted) return true;
  auto state = backend_->store().ReadShipmentState(event.shipment_id());
  if (!state.ok()) return state.status();
  const model::Genesis& genesis = backend_->genesis();
  return MaySeeEvent(caller, genesis, event, state->has_value() ? &**state : nullptr,
                     genesis.ContractRulesAt(height));
}

Status LedgerService::CheckEventVisible(const Caller& caller, const v1::SignedEvent& event,
                                        uint64_t height) const {
  if (caller.unrestricted) return Status::Ok();
  v1::Event parsed;
  if (!parsed.ParseFromString(event.event())) {
    return Status::Internal("a committed event does not parse");
  }
  return CheckParsedEventVisible(caller, parsed, height);
}

Status LedgerService::CheckParsedEventVisible(const Caller& caller, const v1::Event& event,
                                              uint64_t height) const {
  SL_ASSIGN_OR_RETURN(const bool visible, MaySee(caller, event, height));
  return visible ? Status::Ok() : Status::NotFound("event not found");
}

grpc::Status LedgerService::SubmitEvents(grpc::ServerContext* ctx,
                                         const v1::SubmitEventsRequest* req,
                                         v1::SubmitEventsResponse* resp) {
  const grpc::Status status = Submit(ctx, req, resp);
  const int64_t now_ms = backend_->clock().NowMs();
  if (!status.ok()) {
    refusals_.Refused(static_cast<Code>(status.error_code()), now_ms,
                      std::max<uint64_t>(1, static_cast<uint64_t>(req->events_size())));
    return status;
  }
  for (const v1::SubmitResult& r : resp->results()) {
    if (r.code() != static_cast<int32_t>(Code::kOk)) {
      refusals_.Refused(static_cast<Code>(r.code()), now_ms);
    }
  }
  return status;
}

grpc::Status LedgerService::Submit(grpc::ServerContext* ctx, const v1::SubmitEventsRequest* req,
                                   v1::SubmitEventsResponse* resp) {
  SL_RPC_CALLER(caller, *auth_, ctx);  // any member may submit: every event has its signer
  const model::Limits& limits = backend_->genesis().limits;
  if (req->events_size() == 0) {
    return ToGrpc(Status::InvalidArgument("the request carries no events"));
  }
  if (static_cast<uint32_t>(req->events_size()) > limits.max_batch_events) {
    return ToGrpc(Status::InvalidArgument(
        "batch of " + std::to_string(req->events_size()) + " events; at most " +
        std::to_string(limits.max_batch_events) + " per request"));
  }
  if (backend_->notifier().shutting_down()) {
    return ToGrpc(Status::Unavailable("node is shutting down; retry on another node or later"));
  }
  const storage::Store& store = backend_->store();
  const int64_t now_ms = backend_->clock().NowMs();
  model::ValidateOptions options;
  options.cert_time_ms = now_ms;
  options.clock_now_ms = now_ms;

  // Admission: stateless checks, then the committed-duplicate check (DESIGN §4: a known id
  // returns ALREADY_EXISTS with its receipt, so clients may retry safely).
  // The signatures on all cores (DESIGN §10), then the rest in request order.
  std::vector<std::optional<Result<model::EventPtr>>> checked(
      static_cast<size_t>(req->events_size()));
  backend_->runner().ForEach(checked.size(), [&](size_t i) {
    checked[i] = backend_->validator().Validate(req->events(static_cast<int>(i)), options);
  });
  // The committed-duplicate check of every valid event in one batched read.
  std::vector<Bytes> valid_ids;
  for (const auto& ev : checked) {
    if (ev->ok()) valid_ids.push_back((**ev)->id);
  }
  auto known = store.GetReceipts(valid_ids);
  if (!known.ok()) return ToGrpc(known.status().WithContext("admission: reading receipts"));
  const RevocationLookup revoked = [&store](const std::string& org, ByteView fingerprint) {
    return RevokedAt(store, org, fingerprint);
  };
  std::vector<model::EventPtr> admitted;
  std::vector<int> admitted_slot;
  size_t next_valid = 0;
  for (int i = 0; i < req->events_size(); ++i) {
    v1::SubmitResult* r = resp->add_results();
    Result<model::EventPtr>& ev = *checked[static_cast<size_t>(i)];
    if (!ev.ok()) {
      r->set_code(static_cast<int32_t>(ev.status().code()));
      r->set_message(ev.status().message());
      continue;
    }
    r->set_event_id((*ev)->id);
    if (std::optional<v1::Receipt>& receipt = (*known)[next_valid++]; receipt) {
      Result<bool> visible = MaySee(caller, (*ev)->event, receipt->height());
      if (!visible.ok()) return ToGrpc(visible.status());
      if (!*visible) {
        // DESIGN §8: to whoever may not see it, a known event is answered as a new one would
        // be once it is on the chain: admitted, or committed without a receipt they may read.
        r->set_code(static_cast<int32_t>(Code::kOk));
        r->set_message(req->wait_for_commit() ? "committed" : "admitted");
        continue;
      }
      r->set_code(static_cast<int32_t>(Code::kAlreadyExists));
      r->set_message("event is already on the chain at height " +
                     std::to_string(receipt->height()));
      *r->mutable_receipt() = std::move(*receipt);
      continue;
    }
    // DESIGN §3: a revoked certificate is refused as soon as the node has executed the
    // revocation (execution rejects what was admitted before).
    if (Status s = CheckNotRevoked(revoked, **ev); !s.ok()) {
      r->set_code(static_cast<int32_t>(s.code()));
      r->set_message(s.message());
      continue;
    }
    admitted.push_back(std::move(ev).value());
    admitted_slot.push_back(i);
  }
  if (admitted.empty()) return grpc::Status::OK;

  std::shared_ptr<CommitNotifier::Waiter> waiter;
  std::vector<Bytes> ids;
  if (req->wait_for_commit()) {
    for (const auto& e : admitted) ids.push_back(e->id);
    waiter = backend_->notifier().Expect(ids);
  }
  const std::vector<Status> ordered = backend_->Order(admitted);
  for (size_t k = 0; k < admitted.size(); ++k) {
    v1::SubmitResult* r = resp->mutable_results(admitted_slot[k]);
    r->set_code(static_cast<int32_t>(ordered[k].code()));
    r->set_message(ordered[k].ok() ? "admitted" : ordered[k].message());
  }
  if (!waiter) return grpc::Status::OK;

  // Events accepted, or already pending, are awaited; a refused one (queue full) is not. One
  // committed before the waiter was registered is filled from the store (one batched read).
  auto committed = store.GetReceipts(ids);
  for (size_t k = 0; k < admitted.size(); ++k) {
    const Code c = ordered[k].code();
    if (c != Code::kOk && c != Code::kAlreadyExists) {
      backend_->notifier().Fill(*waiter, k, v1::Receipt());
    } else if (committed.ok() && (*committed)[k]) {
      backend_->notifier().Fill(*waiter, k, std::move(*(*committed)[k]));
    }
  }
  const bool all = backend_->notifier().Wait(waiter, WaitDeadline(ctx, backend_->max_wait_ms()));
  for (size_t k = 0; k < admitted.size(); ++k) {
    v1::SubmitResult* r = resp->mutable_results(admitted_slot[k]);
    const auto& receipt = waiter->receipts()[k];
    if (receipt && receipt->event_id().size() == model::kDigestSize) {
      // The receipt only to whoever may see the event (DESIGN §8): the signer of a rejected
      // event on someone else's shipment must not learn its custodian from the reason.
      Result<bool> visible = MaySee(caller, admitted[k]->event, receipt->height());
      if (!visible.ok()) return ToGrpc(visible.status());
      if (*visible) *r->mutable_receipt() = *receipt;
      if (r->code() == static_cast<int32_t>(Code::kOk)) r->set_message("committed");
    } else if (!all && (r->code() == static_cast<int32_t>(Code::kOk) ||
                        r->code() == static_cast<int32_t>(Code::kAlreadyExists))) {
      r->set_message("admitted; not yet committed when the wait ended (query GetReceipt later)");
    }
  }
  return grpc::Status::OK;
}

grpc::Status LedgerService::GetEvent(grpc::ServerContext* ctx, const v1::GetEventRequest* req,
                                     v1::GetEventResponse* resp) {
  SL_RPC_CALLER(caller, *auth_, ctx);
  if (Status s = CheckEventId(req->event_id()); !s.ok()) return ToGrpc(s);
  const storage::Store& store = backend_->store();
  const Status not_found = Status::NotFound("event " + ToHex(req->event_id()) + " not found");
  auto loc = store.GetEventLocation(req->event_id());
  if (!loc.ok()) return ToGrpc(not_found);
  auto se = store.GetEventAt(*loc);
  if (!se.ok()) return ToGrpc(se.status());
  if (Status s = CheckEventVisible(caller, *se, loc->height); !s.ok()) {
    return ToGrpc(s.code() == Code::kNotFound ? not_found : s);
  }
  BlockTimes times(store);
  auto t = times.At(loc->height);
  if (!t.ok()) return ToGrpc(t.status());
  *resp->mutable_event() = std::move(se).value();
  auto receipt = store.GetReceipt(req->event_id());
  if (receipt.ok()) *resp->mutable_receipt() = std::move(receipt).value();
  resp->set_height(loc->height);
  resp->set_index(loc->index);
  resp->set_block_time_ms(*t);
  return grpc::Status::OK;
}

grpc::Status LedgerService::GetReceipt(grpc::ServerContext* ctx, const v1::GetReceiptRequest* req,
                                       v1::Receipt* resp) {
  SL_RPC_CALLER(caller, *auth_, ctx);
  if (Status s = CheckEventId(req->event_id()); !s.ok()) return ToGrpc(s);
  const storage::Store& store = backend_->store();
  const Status not_found =
      Status::NotFound("no receipt for event " + ToHex(req->event_id()) + ": not committed (yet)");
  auto receipt = store.GetReceipt(req->event_id());
  if (!receipt.ok()) return ToGrpc(not_found);
  if (!caller.unrestricted) {
    auto se = store.GetEventAt({receipt->height(), receipt->index()});
    if (!se.ok()) return ToGrpc(se.status());
    if (Status s = CheckEventVisible(caller, *se, receipt->height()); !s.ok()) {
      return ToGrpc(s.code() == Code::kNotFound ? not_found : s);
    }
  }
  *resp = std::move(receipt).value();
  return grpc::Status::OK;
}

grpc::Status LedgerService::StreamedGetShipment(
    grpc::ServerContext* ctx,
    grpc::ServerUnaryStreamer<v1::GetShipmentRequest, v1::GetShipmentResponse>* stream) {
  v1::GetShipmentRequest req;
  if (!stream->Read(&req)) {
    return ToGrpc(Status::InvalidArgument("the GetShipment request does not parse"));
  }
  // One arena per call: the timeline's messages are bump-allocated and freed at once, instead
  // of a malloc and a free each (and glibc consolidating the freed chunks later).
  google::protobuf::Arena arena(TimelineArenaOptions());
  auto* resp = google::protobuf::Arena::CreateMessage<v1::GetShipmentResponse>(&arena);
  const grpc::Status status = BuildShipment(ctx, req, resp);
  if (!status.ok()) return status;
  if (!stream->Write(*resp)) {
    return ToGrpc(Status::Unavailable("the caller went away before the answer was sent"));
  }
  return grpc::Status::OK;
}

grpc::Status LedgerService::BuildShipment(grpc::ServerContext* ctx,
                                          const v1::GetShipmentRequest& req,
                                          v1::GetShipmentResponse* resp) const {
  SL_RPC_CALLER(caller, *auth_, ctx);
  if (req.shipment_id().empty()) {
    return ToGrpc(Status::InvalidArgument("shipment_id is required"));
  }
  const storage::Store& store = backend_->store();
  auto state = VisibleShipment(caller, req.shipment_id());
  if (!state.ok()) return ToGrpc(state.status());
  *resp->mutable_state() = std::move(state).value();
  if (req.state_only()) return grpc::Status::OK;
  const Status timeline = AppendTimeline(store, req.shipment_id(), resp->mutable_timeline());
  if (!timeline.ok()) return ToGrpc(timeline);
  return grpc::Status::OK;
}

grpc::Status LedgerService::ListShipments(grpc::ServerContext* ctx,
                                          const v1::ListShipmentsRequest* req,
                                          v1::ListShipmentsResponse* resp) {
  SL_RPC_CALLER(caller, *auth_, ctx);
  const uint32_t size = req->page_size() == 0 ? 50 : req->page_size();
  if (size > 1000) return ToGrpc(Status::InvalidArgument("page_size must be at most 1000"));
  auto after = FromHex(req->page_token());
  if (!after) return ToGrpc(Status::InvalidArgument("page_token is not one this node issued"));
  // Shipments the caller may not read are skipped; the page token is always the last id
  // returned, never a skipped one, so it reveals nothing either.
  // DESIGN §8 (list scans are per organisation): a caller who may read only its own shipments
  // pages through the party index, so its scan costs what its own shipments cost, not what
  // every member's do. Whoever may read every shipment pages through them all.
  const bool whole =
      caller.unrestricted ||
      (!caller.org.empty() && backend_->genesis().read_scope == model::ReadScope::kAllMembers);
  const storage::Store& store = backend_->store();
  std::string cursor = *after;
  bool more = false;
  for (;;) {
    auto page = whole ? store.ListShipments(cursor, 1000)
                      : store.ListPartyShipments(caller.org, cursor, 1000);
    if (!page.ok()) return ToGrpc(page.status());
    const std::string last = page->empty() ? std::string() : page->back().shipment_id();
    for (auto& state : *page) {
      if (req->excursions_only() && !state.excursion()) continue;
      if (!MayRead(caller, backend_->genesis(), state)) continue;
      if (static_cast<uint32_t>(resp->shipments_size()) == size) {
        more = true;
        break;
      }
      *resp->add_shipments() = std::move(state);
    }
    if (more || page->size() < 1000) break;
    cursor = last;
  }
  if (more) {
    resp->set_next_page_token(ToHex(resp->shipments(resp->shipments_size() - 1).shipment_id()));
  }
  return grpc::Status::OK;
}

grpc::Status LedgerService::FindShipments(grpc::ServerContext* ctx,
                                          const v1::FindShipmentsRequest* req,
                                          v1::FindShipmentsResponse* resp) {
  SL_RPC_CALLER(caller, *auth_, ctx);
  if (req->reference().kind().empty() || req->reference().value().empty()) {
    return ToGrpc(Status::InvalidArgument("reference kind and value are required"));
  }
  auto ids = backend_->store().FindShipments(req->reference().kind(), req->reference().value());
  if (!ids.ok()) return ToGrpc(ids.status());
  for (auto& id : *ids) {
    auto visible = VisibleShipment(caller, id);
    if (visible.ok()) {
      resp->add_shipment_ids(std::move(id));
    } else if (visible.status().code() != Code::kNotFound) {
      return ToGrpc(visible.status());
    }
  }
  return grpc::Status::OK;
}

grpc::Status LedgerService::GetBlock(grpc::ServerContext* ctx, const v1::GetBlockRequest* req,
                                     v1::Block* resp) {
  SL_RPC_CALLER(caller, *auth_, ctx);
  // DESIGN §8: whole blocks go to organisations that run nodes, which hold them anyway.
  if (!caller.unrestricted && !caller.runs_node) {
    return ToGrpc(Status::PermissionDenied(
        "whole blocks are served to organisations that run a node; '" + caller.org +
        "' runs none: read shipments with GetShipment / Watch instead"));
  }
  const storage::Store& store = backend_->store();
  uint64_t height = 0;
  if (req->selector_case() == v1::GetBlockRequest::kHash) {
    auto h = store.GetHeightByHash(req->hash());
    if (!h.ok()) return ToGrpc(Status::NotFound("no block with hash " + ToHex(req->hash())));
    height = *h;
  } else if (req->selector_case() == v1::GetBlockRequest::kHeight) {
    height = req->height();
    if (height == 0) {
      return ToGrpc(Status::InvalidArgument("height 0 is the genesis; blocks start at 1"));
    }
  } else {
    return ToGrpc(Status::InvalidArgument("give a block height or hash"));
  }
  auto block = store.GetBlock(height);
  if (!block.ok()) {
    return ToGrpc(Status::NotFound("no block at height " + std::to_string(height) + " (head is " +
                                   std::to_string(store.head().height) + ")"));
  }
  *resp = std::move(block).value();
  return grpc::Status::OK;
}

grpc::Status LedgerService::GetChainInfo(grpc::ServerContext* ctx, const v1::GetChainInfoRequest*,
                                         v1::ChainInfo* resp) {
  SL_RPC_CALLER(caller, *auth_, ctx);
  (void)caller;  // Height, head and counts of the chain are no shipment's business.
  const storage::ChainHead head = backend_->store().head();
  resp->set_chain_id(backend_->genesis().chain_id);
  resp->set_height(head.height);
  resp->set_head_hash(head.block_hash);
  resp->set_genesis_hash(backend_->genesis().hash);
  resp->set_event_count(head.event_count);
  return grpc::Status::OK;
}

grpc::Status LedgerService::Watch(grpc::ServerContext* ctx, const v1::WatchRequest* req,
                                  grpc::ServerWriter<v1::WatchResponse>* writer) {
  SL_RPC_CALLER(caller, *auth_, ctx);
  // DESIGN §8: a shipment's stream goes to its parties; the whole stream to organisations that
  // run nodes; anyone else's unfiltered stream carries only the shipments it is party to.
  if (!req->shipment_id().empty()) {
    if (Status s = VisibleShipment(caller, req->shipment_id()).status(); !s.ok()) {
      return ToGrpc(s);
    }
  }
  const bool everything = caller.unrestricted || (caller.runs_node && !req->parties_only()) ||
                          !req->shipment_id().empty();
  // By shipment id, for the current block: its state (nullopt: no such shipment), read once.
  std::unordered_map<std::string, std::optional<v1::ShipmentState>> states;
  // DESIGN §8: Watch streams are counted per organisation, and a full node makes room for an
  // organisation holding few by ending the least recently active idle stream of the one
  // holding the most (rpc/watch_quota.h).
  auto admitted = watch_quota_.Admit(caller.org);
  if (!admitted.ok()) return ToGrpc(admitted.status());
  const std::unique_ptr<WatchQuota::Ticket> ticket = std::move(admitted).value();

  const storage::Store& store = backend_->store();
  CommitNotifier& notifier = backend_->notifier();
  const auto stream = watchdog_.Register(ctx);
  uint64_t next = std::max<uint64_t>(req->from_height(), 1);
  // DESIGN §10 fan-out: a block committed lately is in the notifier's ring, built once by the
  // commit thread; a stream behind the ring reads the store. Either way the commit thread never
  // waits for a stream, so a slow or stuck subscriber never holds up commits.
  while (!ctx->IsCancelled() && !notifier.shutting_down() && !ticket->evicted()) {
    const uint64_t head = notifier.height();
    for (; next <= head && !ticket->evicted(); ++next) {
      std::shared_ptr<const CommittedBlock> block = notifier.Recent(next);
      if (block == nullptr) {
        auto loaded = LoadCommittedBlock(store, next);
        if (!loaded.ok()) return ToGrpc(loaded.status());
        block = std::move(loaded).value();
      }
      states.clear();  // parties only grow, but a shipment may be booked in this block
      const uint32_t rules = backend_->genesis().ContractRulesAt(next);
      for (const v1::TimelineEntry& entry : block->entries()) {
        const v1::Event& ev = entry.event();
        if (!req->shipment_id().empty()) {
          if (ev.shipment_id() != req->shipment_id()) continue;
        } else if (!everything) {
          auto [it, fresh] = states.try_emplace(ev.shipment_id());
          if (fresh) {
            auto state = store.ReadShipmentState(ev.shipment_id());
            if (!state.ok()) return ToGrpc(state.status());
            it->second = std::move(state).value();
          }
          const v1::ShipmentState* state = it->second.has_value() ? &*it->second : nullptr;
          if (req->parties_only() && !caller.unrestricted) {
            // Only shipments the caller may read, as GetShipment: not its own events on others'
            // shipments, nor events of shipments that do not exist.
            if (state == nullptr || !MayRead(caller, backend_->genesis(), *state)) continue;
          } else if (!MaySeeEvent(caller, backend_->genesis(), ev, state, rules)) {
            continue;
          }
        }
        v1::WatchResponse out;
        out.set_height(next);
        out.set_block_time_ms(block->block_time_ms());
        out.set_block_hash(block->block_hash());
        *out.mutable_entry() = entry;
        for (const v1::ContractOutput& o : entry.receipt().outputs()) {
          if (o.kind() == v1::ContractOutput::KIND_EXCURSION) *out.add_alerts() = o;
        }
        ticket->BeginWrite();
        stream->BeginWrite();
        const bool written = writer->Write(out);
        stream->EndWrite();
        ticket->EndWrite();
        if (!written) {
          // The client went away, or stopped reading and the watchdog dropped it.
          return stream->dropped() ? ToGrpc(Status::ResourceExhausted(
                                         "subscriber too slow: dropped; resume with from_height " +
                                         std::to_string(next)))
                                   : grpc::Status::OK;
        }
      }
    }
    notifier.WaitBeyond(head, Clock::now() + std::chrono::milliseconds(250));
  }
  if (ticket->evicted()) {
    return ToGrpc(Status::ResourceExhausted(ticket->evicted_message() +
                                            "; resume with from_height " + std::to_string(next)));
  }
  if (notifier.shutting_down()) {
    return ToGrpc(Status::Unavailable("node is shutting down; resume with from_height " +
                                      std::to_string(next)));
  }
  return grpc::Status::OK;
}

grpc::Status LedgerService::GetEventProof(grpc::ServerContext* ctx,
                                          const v1::GetEventProofRequest* req,
                                          v1::EventProof* resp) {
  SL_RPC_CALLER(caller, *auth_, ctx);
  if (Status s = CheckEventId(req->event_id()); !s.ok()) return ToGrpc(s);
  const auto deadline = WaitDeadline(ctx, backend_->max_wait_ms());
  CommitNotifier& notifier = backend_->notifier();
  // DESIGN §8: proofs, like the event itself, go to those who may see the event; anyone else
  // gets what an unknown id gets, before any other answer (a proof's own errors included).
  const Status not_found = Status::NotFound("event " + ToHex(req->event_id()) + " not found");
  {
    const storage::Store& store = backend_->store();
    auto loc = store.GetEventLocation(req->event_id());
    if (!loc.ok()) {
      return ToGrpc(loc.status().code() == Code::kNotFound ? not_found : loc.status());
    }
    auto se = store.GetEventAt(*loc);
    if (!se.ok()) return ToGrpc(se.status());
    if (Status s = CheckEventVisible(caller, *se, loc->height); !s.ok()) {
      return ToGrpc(s.code() == Code::kNotFound ? not_found : s);
    }
  }
  for (;;) {
    const uint64_t height = notifier.height();
    auto proof = LoadEventProof(backend_->store(), backend_->genesis(), req->event_id());
    if (!proof.ok()) return ToGrpc(proof.status());
    if (proof->has_checkpoint() || !req->wait_for_certified() || Clock::now() >= deadline ||
        ctx->IsCancelled() || notifier.shutting_down()) {
      *resp = std::move(proof).value();
      return grpc::Status::OK;
    }
    // A checkpoint turns stable after its block commits, without a commit of its own (DESIGN
    // §5: within about checkpoint_idle_ms of quiet): wake on the next commit or poll shortly.
    notifier.WaitBeyond(height, std::min(deadline, Clock::now() + std::chrono::milliseconds(100)));
  }
}

grpc::Status AdminService::GetNodeStatus(grpc::ServerContext* ctx, const v1::GetNodeStatusRequest*,
                                         v1::NodeStatus* resp) {
  SL_RPC_CALLER(caller, *auth_, ctx);
  *resp = backend_->NodeStatus();
  // Who watches how much is the business of the organisations that run nodes; any other sees
  // only its own streams (DESIGN §8).
  if (!caller.unrestricted && !caller.runs_node) {
    auto* counts = resp->mutable_watchers_by_org();
    counts->erase(
        std::remove_if(counts->begin(), counts->end(),
                       [&](const v1::WatcherCount& c) { return c.organisation() != caller.org; }),
        counts->end());
  }
  return grpc::Status::OK;
}

grpc::Status AdminService::CreateBackup(grpc::ServerContext* ctx, const v1::CreateBackupRequest*,
                                        v1::Backup* resp) {
  SL_RPC_CALLER(caller, *auth_, ctx);
  // A backup writes to the node's disk: never for an anonymous caller, even in development.
  if (caller.unrestricted) {
    return ToGrpc(Status::PermissionDenied(
        "backups are not served over the plaintext client API (insecure_client_api: true); "
        "call with an admin certificate of the node's organisation over TLS"));
  }
  const std::string own = backend_->organisation();
  if (!caller.admin || caller.org != own) {
    return ToGrpc(Status::PermissionDenied(
        "a backup of this node takes an admin certificate (OU=admin) of its organisation '" + own +
        "'; the caller is " + (caller.admin ? "an admin" : "a client") + " of '" + caller.org +
        "' (shipledger identity issue --admin makes one)"));
  }
  auto backup = backend_->CreateBackup();
  if (!backup.ok()) return ToGrpc(backup.status());
  *resp = std::move(backup).value();
  return grpc::Status::OK;
}

}  // namespace shipledger::rpc
