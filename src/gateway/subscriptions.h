// Subscriptions: DCSA T&T 2.2 event subscriptions (docs/gateway.md, "Subscriptions"). A
// subscription is a callback URL, a shared secret and filters; it receives the DCSA events that
// match and commit after it was made, in commit order, POSTed as a JSON array with
// `Notification-Signature: sha256=<hex>`: HMAC-SHA256 over the raw body, keyed with the
// secret's bytes (the Base64 the subscriber gave, decoded). A delivery that fails (no answer in
// 10 s, or a status that is not 2xx) is retried with the same events, after 1 s, 2 s, 4 s …
// up to 5 minutes between tries, until it succeeds or the subscription is deleted: delivery is
// at least once, and nothing is skipped. How far each subscription got is stored, so a
// restart resumes where it stopped. Up to DeliveryOptions::threads subscriptions are delivered
// to at once, so one slow callback holds up only its own subscription.
// Thread-safety: thread-safe.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "gateway/callback_client.h"
#include "gateway/event_index.h"

namespace shipledger::gateway {

struct DeliveryOptions {
  int64_t first_retry_ms = 1000;         // Default: 1 s after the first failure
  int64_t max_retry_ms = 300000;         // Default: at most 5 minutes between tries
  int timeout_ms = 10000;                // Default: 10 s for the callback to answer
  uint32_t max_events = 100;             // Default: at most 100 events per notification
  uint32_t threads = 4;                  // Default: 4 subscriptions delivered to at once
  bool allow_private_callbacks = false;  // Default: no loopback, link-local or private hosts
};

class Subscriptions {
 public:
  Subscriptions(EventIndex& index, DeliveryOptions options = {});
  ~Subscriptions();  // Stop()

  void Start();
  void Stop();
  // New DCSA events may have been stored: deliver them now.
  void Wake();

  // POST: `body` is a SubscriptionBody with a `secret`; the subscription without its secret.
  // INVALID_ARGUMENT naming what is wrong.
  Result<google::protobuf::Struct> Create(const google::protobuf::Struct& body);
  // GET one; NOT_FOUND for an unknown id.
  Result<google::protobuf::Struct> Get(const std::string& id) const;
  // GET all, in id order after `after_id`, at most `limit`.
  std::vector<google::protobuf::Struct> List(const std::string& after_id, size_t limit) const;
  // PUT: new filters and callback (the secret stays; one given is refused).
  Result<google::protobuf::Struct> Update(const std::string& id,
                                          const google::protobuf::Struct& body);
  // PUT …/secret.
  Status ResetSecret(const std::string& id, const google::protobuf::Struct& body);
  Status Delete(const std::string& id);

 private:
  struct Retry {
    int attempts = 0;
    std::chrono::steady_clock::time_point next;
    std::string last_error;
  };
  void Run();
  // Delivers what is due to one subscription (one notification at most).
  void DeliverTo(const std::string& id, const std::string& json);

  // Records that `id` got everything up to `position`, unless it was deleted.
  void Advance(const std::string& id, uint64_t position);

  EventIndex& index_;
  const DeliveryOptions options_;
  // Held while a subscription is read, changed and written (the HTTP pool's threads and the
  // delivery thread); before mu_.
  std::mutex edit_mu_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;                 // guarded by mu_
  bool woken_ = false;                    // guarded by mu_
  std::map<std::string, Retry> retries_;  // guarded by mu_
  std::set<std::string> busy_;            // guarded by mu_: being delivered to now
  std::thread thread_;
};

// Checks a subscription body (callbackUrl, secret as Base64 of at least 16 bytes when
// `need_secret`, filters); INVALID_ARGUMENT naming the field.
Status CheckSubscriptionBody(const google::protobuf::Struct& body, bool need_secret);

}  // namespace shipledger::gateway
