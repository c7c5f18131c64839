#include "gateway/indexer.h"

#include <algorithm>
#include <chrono>

#include "interop/dcsa_export.h"
#include "shipledger/log.h"
#include "shipledger/thread_name.h"

namespace shipledger::gateway {

Indexer::Indexer(EventIndex& index,
                 std::function<Result<std::unique_ptr<cli::NodeClient>>()> connect,
                 std::function<void(const v1::WatchResponse&)> on_entry)
    : index_(index), connect_(std::move(connect)), on_entry_(std::move(on_entry)) {
  auto h = index_.ResumeHeight();
  if (h.ok()) height_ = *h;
}

Indexer::~Indexer() { Stop(); }

void Indexer::Start() {
  thread_ = std::thread([this] {
    SetThreadName("sl-gw-index");
    Run();
  });
}

void Indexer::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    if (stream_ != nullptr) stream_->TryCancel();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string Indexer::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

bool Indexer::WaitForLedgerEvent(const std::string& ledger_event_id, int64_t timeout_ms) {
  auto indexed = [&] {
    auto id = index_.EventIdOfLedgerEvent(ledger_event_id);
    return id.ok() && id->has_value();
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::unique_lock lock(mu_);
  while (!indexed()) {
    if (stopping_ || cv_.wait_until(lock, deadline) == std::cv_status::timeout) return indexed();
  }
  return true;
}

void Indexer::Run() {
  int64_t backoff_ms = 250;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (stopping_) return;
    }
    Status failure;
    auto client = connect_();
    if (!client.ok()) {
      failure = client.status();
    } else {
      auto resume = index_.ResumeHeight();
      v1::WatchRequest request;
      request.set_from_height(resume.ok() ? std::max<uint64_t>(*resume, 1) : 1);
      request.set_parties_only(true);
      cli::NodeClient::WatchStream stream = (*client)->Watch(request);
      {
        std::lock_guard lock(mu_);
        if (stopping_) stream.context->TryCancel();
        stream_ = stream.context.get();
      }
      v1::WatchResponse response;
      while (failure.ok() && stream.reader->Read(&response)) {
        connected_ = true;
        backoff_ms = 250;
        // A DCSA transport event's mode of transport comes from the route: read the state.
        // Only a VALID event is indexed; a shipment the party cannot read (NOT_FOUND) gives no
        // route, and the event then no DCSA form.
        std::optional<v1::ShipmentState> state;
        if (response.entry().receipt().code() == v1::RESULT_CODE_VALID &&
            interop::DcsaNeedsRoute(response.entry().event())) {
          v1::GetShipmentRequest get;
          get.set_shipment_id(response.entry().event().shipment_id());
          get.set_state_only(true);
          auto shipment = (*client)->GetShipment(get);
          if (shipment.ok()) {
            state = shipment->state();
          } else if (shipment.status().code() != Code::kNotFound) {
            failure = shipment.status();
            stream.context->TryCancel();
            break;
          }
        }
        auto added = index_.Add(response, state ? &*state : nullptr);
        if (!added.ok()) {
          failure = added.status();
          stream.context->TryCancel();
          break;
        }
        {
          std::lock_guard lock(mu_);
          height_ = response.height();
        }
        cv_.notify_all();
        if (on_entry_) on_entry_(response);
      }
      const grpc::Status finished = stream.reader->Finish();
      {
        std::lock_guard lock(mu_);
        stream_ = nullptr;
      }
      if (failure.ok()) failure = (*client)->StatusOf(finished, "Watch");
      if (failure.ok()) failure = Status::Unavailable("the node ended the Watch stream");
    }
    connected_ = false;
    std::unique_lock lock(mu_);
    if (stopping_) return;
    last_error_ = failure.message();
    Log(LogComponent::kNode)
        .warn("gateway: index stream: {}; retrying in {} ms", failure.message(), backoff_ms);
    cv_.wait_for(lock, std::chrono::milliseconds(backoff_ms), [&] { return stopping_; });
    backoff_ms = std::min<int64_t>(backoff_ms * 2, 10000);
  }
}

}  // namespace shipledger::gateway
