#include "gateway/capture.h"

#include <google/protobuf/util/json_util.h>
#include <openssl/rand.h>

#include "cli/importer.h"
#include "cli/json.h"
#include "interop/epcis_hash.h"
#include "model/enum_names.h"
#include "shipledger/bytes.h"
#include "shipledger/clock.h"
#include "shipledger/log.h"
#include "shipledger/thread_name.h"

namespace shipledger::gateway {

namespace pb = google::protobuf;

namespace {

std::string ToJson(const pb::Struct& s) {
  std::string out;
  (void)pb::util::MessageToJsonString(s, &out);
  return out;
}

Result<pb::Struct> FromJson(const std::string& text) {
  pb::Struct s;
  if (const auto st = pb::util::JsonStringToMessage(text, &s); !st.ok()) {
    return Status::DataLoss("stored capture job does not parse: " + std::string(st.message()));
  }
  return s;
}

pb::Value Problem(std::string_view title, std::string detail) {
  cli::JsonObject p;
  p.Set("type", "epcisException:ValidationException");
  p.Set("title", title);
  p.Set("status", 400);
  p.Set("detail", std::string_view(detail));
  return p.ToValue();
}

}  // namespace

CaptureQueue::CaptureQueue(EventIndex& index, Indexer& indexer,
                           std::function<Result<std::unique_ptr<cli::NodeClient>>()> connect,
                           config::Identity signer, std::shared_ptr<const model::Genesis> genesis)
    : index_(index),
      indexer_(indexer),
      connect_(std::move(connect)),
      signer_(std::move(signer)),
      genesis_(std::move(genesis)) {}

CaptureQueue::~CaptureQueue() { Stop(); }

void CaptureQueue::Start() {
  {
    std::lock_guard lock(mu_);
    for (auto& id : index_.UnfinishedJobs()) queue_.push_back(id);
  }
  thread_ = std::thread([this] {
    SetThreadName("sl-gw-capture");
    Run();
  });
}

void CaptureQueue::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<std::string> CaptureQueue::Accept(const std::string& document,
                                         const CaptureOptions& options) {
  std::string raw(16, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size())) != 1) {
    return Status::Internal("no random bytes for a capture id");
  }
  const std::string id = ToHex(raw);
  cli::JsonObject job;
  job.Set("captureID", std::string_view(id));
  job.Set("createdAt", std::string_view(interop::EpcisTime(SystemClock::Get().NowMs())));
  job.SetBool("running", true);
  job.SetBool("success", false);
  job.Set("captureErrorBehaviour", options.proceed ? "proceed" : "rollback");
  job.Set("indexWaitMs", options.index_wait_ms);
  SL_RETURN_IF_ERROR(index_.PutJob(id, ToJson(job.fields())));
  {
    // The stored order (what a restart runs) and the queue's are the same.
    std::lock_guard accepting(accept_mu_);
    SL_RETURN_IF_ERROR(index_.PutJobDocument(id, document));
    std::lock_guard lock(mu_);
    queue_.push_back(id);
  }
  cv_.notify_all();
  return id;
}

Result<std::string> CaptureQueue::Job(const std::string& id) const { return index_.GetJob(id); }

bool CaptureQueue::Wait(const std::string& id, int64_t timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::unique_lock lock(mu_);
  for (;;) {
    auto job = index_.GetJob(id);
    if (job.ok()) {
      auto parsed = FromJson(*job);
      if (parsed.ok() && !parsed->fields().at("running").bool_value()) return true;
    }
    if (stopping_ || cv_.wait_until(lock, deadline) == std::cv_status::timeout) return false;
  }
}

void CaptureQueue::Run() {
  for (;;) {
    std::string id;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      id = queue_.front();
      queue_.pop_front();
    }
    RunJob(id);
    cv_.notify_all();
  }
}

void CaptureQueue::RunJob(const std::string& id) {
  auto stored = index_.GetJob(id);
  auto document_text = index_.GetJobDocument(id);
  if (!stored.ok() || !document_text.ok()) return;
  auto job_or = FromJson(*stored);
  if (!job_or.ok()) return;
  pb::Struct job = std::move(*job_or);
  auto& fields = *job.mutable_fields();
  const bool proceed = fields["captureErrorBehaviour"].string_value() == "proceed";
  const auto index_wait_ms = static_cast<int64_t>(fields["indexWaitMs"].number_value());
  std::vector<pb::Value> errors;
  std::vector<pb::Value> outcomes;
  bool success = false;

  auto finish = [&] {
    fields["running"].set_bool_value(false);
    fields["success"].set_bool_value(success);
    fields["finishedAt"].set_string_value(interop::EpcisTime(SystemClock::Get().NowMs()));
    for (auto& e : errors) *fields["errors"].mutable_list_value()->add_values() = e;
    for (auto& o : outcomes) *fields["events"].mutable_list_value()->add_values() = o;
    if (Status s = index_.PutJob(id, ToJson(job)); !s.ok()) {
      Log(LogComponent::kNode).error("gateway: capture job {}: {}", id, s.message());
      return;
    }
    (void)index_.DeleteJobDocument(id);
  };

  pb::Struct document;
  if (const auto st = pb::util::JsonStringToMessage(*document_text, &document); !st.ok()) {
    errors.push_back(Problem("not JSON", std::string(st.message())));
    finish();
    return;
  }
  auto client = connect_();
  Status failure = client.status();
  std::optional<v1::ChainInfo> info;
  if (failure.ok()) {
    auto got = (*client)->GetChainInfo();
    failure = got.status();
    if (got.ok()) info = *got;
  }
  // While the node cannot be reached (or a call times out), the job stays queued with its
  // document and runs again from the start: its events' nonces make a second run submit the
  // same ledger events, which the node answers with their receipts.
  auto retry_later = [&](const Status& why) {
    Log(LogComponent::kNode)
        .warn("gateway: capture job {} waits for the node: {}", id, why.message());
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(2), [&] { return stopping_; });
    if (!stopping_) queue_.push_front(id);  // jobs run in the order accepted
  };
  auto retriable = [](const Status& s) {
    return s.code() == Code::kUnavailable || s.code() == Code::kDeadlineExceeded;
  };
  if (!failure.ok()) {
    retry_later(failure);
    return;
  }
  cli::Importer importer(**client, signer_, info->chain_id(), genesis_, "");
  auto mapped = importer.MapEpcis(document);
  if (mapped.ok()) {
    if (Status s = importer.Sign(&*mapped); !s.ok()) mapped = s;
  }
  if (!mapped.ok() && retriable(mapped.status())) {
    retry_later(mapped.status());
    return;
  }
  if (!mapped.ok()) {
    errors.push_back(Problem("the document cannot be captured", mapped.status().message()));
    finish();
    return;
  }
  for (const cli::ImportItem& item : *mapped) {
    if (item.error.empty()) continue;
    errors.push_back(Problem("an event cannot be captured",
                             "event " + std::to_string(item.index) +
                                 (item.source_id.empty() ? "" : " (" + item.source_id + ")") +
                                 ": " + item.error));
  }
  if (!errors.empty() && !proceed) {
    finish();  // rollback: nothing submitted
    return;
  }
  bool all_valid = true;
  std::vector<std::string> valid_ids;
  const Status submitted = importer.Submit(*mapped, [&](const cli::ImportOutcome& o) {
    cli::JsonObject row;
    row.Set("index", o.item->index);
    row.Set("eventID", std::string_view(o.item->source_id));
    row.SetHex("ledgerEventID", o.event_id);
    row.Set("shipmentID", std::string_view(o.item->event.shipment_id()));
    row.Set("ledgerType", std::string_view(model::EventTypeName(o.item->event.type())));
    row.Set("result", std::string_view(o.result));
    if (!o.reason.empty()) row.Set("reason", std::string_view(o.reason));
    if (o.receipt) {
      pb::Value receipt;
      std::string text;
      (void)pb::util::MessageToJsonString(*o.receipt, &text);
      (void)pb::util::JsonStringToMessage(text, &receipt);
      row.Set("receipt", std::move(receipt));
    }
    outcomes.push_back(row.ToValue());
    if (o.result == "VALID") {
      valid_ids.push_back(o.event_id);
    } else {
      all_valid = false;
      errors.push_back(Problem("an event was not recorded",
                               "event " + std::to_string(o.item->index) + ": " + o.result +
                                   (o.reason.empty() ? "" : ": " + o.reason)));
    }
  });
  if (!submitted.ok() && retriable(submitted)) {
    retry_later(submitted);
    return;
  }
  if (!submitted.ok()) {
    all_valid = false;
    errors.push_back(Problem("submitting failed", submitted.message()));
  }
  // A finished job's events can be queried: wait (bounded) for the index to have them.
  for (const auto& ledger_id : valid_ids) {
    if (!indexer_.WaitForLedgerEvent(ledger_id, index_wait_ms)) break;
  }
  success = all_valid && errors.empty();
  finish();
}

}  // namespace shipledger::gateway
