// PostCallback: one HTTP(S) POST of a notification to a subscriber's callback URL (Boost.Beast,
// synchronous, with a deadline), for the DCSA subscriptions' deliveries. HTTPS checks the
// server's certificate against the system's trust store and its host name.
// Thread-safety: free functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "shipledger/status.h"

namespace shipledger::gateway {

struct CallbackUrl {
  bool tls = false;
  std::string host;
  std::string port;
  std::string target;  // path and query, "/" at least
};

// An absolute http:// or https:// URL; INVALID_ARGUMENT saying what is wrong.
Result<CallbackUrl> ParseCallbackUrl(const std::string& url);

// POSTs `body` (JSON) with `headers`; the answer's HTTP status, or UNAVAILABLE when the callback
// cannot be reached or does not answer within `timeout_ms`.
Result<unsigned> PostCallback(const CallbackUrl& url, const std::string& body,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              int timeout_ms);

}  // namespace shipledger::gateway
