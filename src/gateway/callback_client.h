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

struct CallbackOptions {
  int timeout_ms = 10000;  // for everything: resolving, connecting, TLS, sending, the answer
  // Whether loopback, link-local and private addresses may be called. Default: no, so that a
  // client of the gateway cannot make it reach what only the gateway's host can.
  bool allow_private = false;
};

// POSTs `body` (JSON) with `headers`; the answer's HTTP status, UNAVAILABLE when the callback
// cannot be reached or does not answer in time, PERMISSION_DENIED when its host resolves only
// to addresses that are not allowed.
Result<unsigned> PostCallback(const CallbackUrl& url, const std::string& body,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const CallbackOptions& options);

// Whether a callback may go to `address` when private ones are not allowed (for tests).
bool IsPublicAddress(const std::string& address);

}  // namespace shipledger::gateway
