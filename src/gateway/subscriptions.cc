#include "gateway/subscriptions.h"

#include <google/protobuf/util/json_util.h>
#include <openssl/rand.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "crypto/hmac.h"
#include "interop/json_fields.h"
#include "shipledger/bytes.h"
#include "shipledger/log.h"
#include "shipledger/thread_name.h"

namespace shipledger::gateway {

namespace pb = google::protobuf;

namespace {

Result<pb::Struct> Parse(const std::string& json) {
  pb::Struct s;
  if (!pb::util::JsonStringToMessage(json, &s).ok()) {
    return Status::DataLoss("a stored subscription does not parse");
  }
  return s;
}

std::string ToJson(const pb::Message& m) {
  std::string out;
  (void)pb::util::MessageToJsonString(m, &out);
  return out;
}

pb::Struct WithoutSecret(pb::Struct s) {
  s.mutable_fields()->erase("secret");
  return s;
}

// A random (version 4) UUID.
Result<std::string> NewUuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) return Status::Internal("no random bytes for an id");
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  const std::string hex = ToHex(std::string_view(reinterpret_cast<const char*>(b), sizeof b));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

Status CheckSecret(const pb::Struct& body) {
  const pb::Value* secret = interop::FieldOf(body, "secret");
  if (secret == nullptr || !secret->has_string_value()) {
    return Status::InvalidArgument("secret is required: Base64 of at least 16 random bytes");
  }
  auto bytes = crypto::Base64Decode(secret->string_value());
  if (!bytes || bytes->size() < 16) {
    return Status::InvalidArgument("secret must be Base64 of at least 16 bytes");
  }
  return Status::Ok();
}

}  // namespace

Status CheckSubscriptionBody(const pb::Struct& body, bool need_secret) {
  const pb::Value* url = interop::FieldOf(body, "callbackUrl");
  if (url == nullptr || !url->has_string_value()) {
    return Status::InvalidArgument("callbackUrl is required");
  }
  SL_RETURN_IF_ERROR(ParseCallbackUrl(url->string_value()).status());
  if (need_secret) {
    SL_RETURN_IF_ERROR(CheckSecret(body));
  } else if (body.fields().contains("secret")) {
    return Status::InvalidArgument(
        "secret is set only when the subscription is made, or with PUT "
        "/v2/event-subscriptions/{id}/secret");
  }
  DcsaQuery filters;
  return DcsaFiltersOf(body, &filters);
}

Subscriptions::Subscriptions(EventIndex& index, DeliveryOptions options)
    : index_(index), options_(options) {}

Subscriptions::~Subscriptions() { Stop(); }

void Subscriptions::Start() {
  thread_ = std::thread([this] {
    SetThreadName("sl-gw-notify");
    Run();
  });
}

void Subscriptions::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Subscriptions::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

Result<pb::Struct> Subscriptions::Create(const pb::Struct& body) {
  SL_RETURN_IF_ERROR(CheckSubscriptionBody(body, true));
  std::lock_guard edit(edit_mu_);
  SL_ASSIGN_OR_RETURN(std::string id, NewUuid());
  pb::Struct stored = body;
  (*stored.mutable_fields())["subscriptionID"].set_string_value(id);
  // It receives what commits from now on.
  SL_RETURN_IF_ERROR(index_.PutDelivered(id, index_.DcsaHead()));
  SL_RETURN_IF_ERROR(index_.PutSubscription(id, ToJson(stored)));
  return WithoutSecret(std::move(stored));
}

Result<pb::Struct> Subscriptions::Get(const std::string& id) const {
  SL_ASSIGN_OR_RETURN(std::string json, index_.GetSubscription(id));
  SL_ASSIGN_OR_RETURN(pb::Struct s, Parse(json));
  return WithoutSecret(std::move(s));
}

std::vector<pb::Struct> Subscriptions::List(const std::string& after_id, size_t limit) const {
  std::vector<pb::Struct> out;
  for (const auto& [id, json] : index_.Subscriptions(after_id, limit)) {
    if (auto s = Parse(json); s.ok()) out.push_back(WithoutSecret(std::move(*s)));
  }
  return out;
}

Result<pb::Struct> Subscriptions::Update(const std::string& id, const pb::Struct& body) {
  std::lock_guard edit(edit_mu_);
  SL_ASSIGN_OR_RETURN(std::string json, index_.GetSubscription(id));
  SL_ASSIGN_OR_RETURN(pb::Struct old, Parse(json));
  SL_RETURN_IF_ERROR(CheckSubscriptionBody(body, false));
  if (const pb::Value* given = interop::FieldOf(body, "subscriptionID");
      given != nullptr && given->string_value() != id) {
    return Status::InvalidArgument("subscriptionID does not match the path");
  }
  pb::Struct stored = body;
  (*stored.mutable_fields())["subscriptionID"].set_string_value(id);
  (*stored.mutable_fields())["secret"] = old.fields().at("secret");
  SL_RETURN_IF_ERROR(index_.PutSubscription(id, ToJson(stored)));
  Wake();
  return WithoutSecret(std::move(stored));
}

Status Subscriptions::ResetSecret(const std::string& id, const pb::Struct& body) {
  std::lock_guard edit(edit_mu_);
  SL_ASSIGN_OR_RETURN(std::string json, index_.GetSubscription(id));
  SL_ASSIGN_OR_RETURN(pb::Struct stored, Parse(json));
  SL_RETURN_IF_ERROR(CheckSecret(body));
  (*stored.mutable_fields())["secret"] = body.fields().at("secret");
  return index_.PutSubscription(id, ToJson(stored));
}

Status Subscriptions::Delete(const std::string& id) {
  std::lock_guard edit(edit_mu_);
  SL_RETURN_IF_ERROR(index_.GetSubscription(id).status());
  return index_.DeleteSubscription(id);
}

void Subscriptions::Advance(const std::string& id, uint64_t position) {
  std::lock_guard edit(edit_mu_);
  // Not for a subscription deleted meanwhile: its cursor went with it.
  if (index_.GetSubscription(id).ok()) (void)index_.PutDelivered(id, position);
}

void Subscriptions::Run() {
  boost::asio::thread_pool pool(std::max<uint32_t>(1, options_.threads));
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_ || woken_; });
      if (stopping_) break;
      woken_ = false;
    }
    std::string after;
    for (;;) {
      const auto batch = index_.Subscriptions(after, 1000);
      for (const auto& [id, json] : batch) {
        {
          std::lock_guard lock(mu_);
          if (stopping_ || busy_.contains(id)) continue;
          const auto r = retries_.find(id);
          if (r != retries_.end() && r->second.next > std::chrono::steady_clock::now()) continue;
          busy_.insert(id);
        }
        boost::asio::post(pool, [this, id = id, json = json] {
          DeliverTo(id, json);
          {
            std::lock_guard lock(mu_);
            busy_.erase(id);
          }
          cv_.notify_all();
        });
      }
      if (batch.size() < 1000) break;
      after = batch.back().first;
    }
  }
  pool.join();  // the deliveries in flight end within their timeout
}

void Subscriptions::DeliverTo(const std::string& id, const std::string& json) {
  auto sub = Parse(json);
  if (!sub.ok()) return;
  DcsaQuery q;
  if (!DcsaFiltersOf(*sub, &q).ok()) return;
  auto url = ParseCallbackUrl(interop::TextOf(*sub, "callbackUrl"));
  auto secret = crypto::Base64Decode(interop::TextOf(*sub, "secret"));
  if (!url.ok() || !secret) return;
  q.after = index_.Delivered(id);
  q.limit = options_.max_events;
  auto page = index_.QueryDcsa(q, 100000);
  if (!page.ok()) return;
  if (page->events.empty()) {
    if (page->scanned_to > q.after) Advance(id, page->scanned_to);
    if (page->next != 0) Wake();
    return;
  }
  pb::ListValue events;
  for (auto& e : page->events) *events.add_values()->mutable_struct_value() = std::move(e);
  pb::Value list;
  *list.mutable_list_value() = std::move(events);
  const std::string body = ToJson(list);
  const std::string signature = "sha256=" + ToHex(crypto::HmacSha256(*secret, body));
  auto status = PostCallback(
      *url, body, {{"Notification-Signature", signature}, {"API-Version", "2.2.0"}},
      {.timeout_ms = options_.timeout_ms, .allow_private = options_.allow_private_callbacks});
  const bool delivered = status.ok() && *status >= 200 && *status < 300;
  if (delivered) Advance(id, page->scanned_to);  // takes edit_mu_, which comes before mu_
  std::lock_guard lock(mu_);
  if (delivered) {
    retries_.erase(id);
    woken_ = woken_ || page->next != 0;
    return;
  }
  Retry& r = retries_[id];
  ++r.attempts;
  const int64_t wait = std::min<int64_t>(options_.max_retry_ms,
                                         options_.first_retry_ms << std::min(r.attempts - 1, 20));
  r.next = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait);
  r.last_error =
      status.ok() ? "the callback answered " + std::to_string(*status) : status.status().message();
  Log(LogComponent::kNode)
      .warn("gateway: subscription {}: delivery failed ({}); retrying in {} ms", id, r.last_error,
            wait);
}

}  // namespace shipledger::gateway
