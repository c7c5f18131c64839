// Fuzz target: the public tracking service's HTTP requests (rpc/tracking_server.cc,
// docs/tracking.md), which anyone on the internet may send. The bytes go through the same Beast
// request parser with the same limits as a connection (header limit, no body), then, as the
// server does, a parsed GET goes to AnswerTrackingGet against a store.
// Input: raw request bytes. Seeds: corpus/tracking_http_fuzz/ (GETs of codes and other paths).
// What must hold: no crash or sanitizer report; every answer is one of the documented statuses
// with a JSON object body.
#include <unistd.h>

#include <algorithm>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz/fuzz_network.h"
#include "rpc/tracking.h"
#include "rpc/tracking_server.h"
#include "storage/store.h"

namespace {

namespace http = boost::beast::http;
using shipledger::storage::Store;

// A fresh data dir for this process, removed at exit (after the store, declared later, closes).
const std::filesystem::path& StoreDir() {
  struct Dir {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("shipledger-tracking-fuzz-" + std::to_string(::getpid()));
    ~Dir() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Dir dir;
  return dir.path;
}

const Store& TheStore() {
  static std::unique_ptr<Store> store = [] {
    const std::filesystem::path& dir = StoreDir();
    std::filesystem::remove_all(dir);
    auto opened = Store::Open(dir.string(), *shipledger::fuzz::Network().genesis);
    if (!opened.ok()) {
      std::fprintf(stderr, "cannot open a store in %s: %s\n", dir.c_str(),
                   opened.status().ToString().c_str());
      std::abort();
    }
    return std::move(opened).value();
  }();
  return *store;
}

void Check(const shipledger::rpc::HttpAnswer& answer) {
  const unsigned s = answer.status;
  if (s != 200 && s != 404 && s != 500) {
    std::fprintf(stderr, "tracking answered status %u\n", s);
    std::abort();
  }
  if (answer.body.empty() || answer.body.front() != '{' || answer.body.back() != '}') {
    std::fprintf(stderr, "tracking answered a body that is not a JSON object: %s\n",
                 answer.body.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  shipledger::fuzz::QuietProtobufLogs();
  TheStore();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const shipledger::rpc::TrackingServerOptions options;
  http::request_parser<http::empty_body> parser;
  parser.header_limit(options.max_request_bytes);
  parser.body_limit(0);
  boost::beast::error_code ec;
  size_t used = 0;
  // As async_read feeds it: until done or an error, at most the buffer the server allows.
  const size_t limit = std::min<size_t>(size, options.max_request_bytes);
  while (!parser.is_done() && used < limit) {
    const size_t n = parser.put(boost::asio::buffer(data + used, limit - used), ec);
    if (ec == http::error::need_more) {
      ec = {};
      break;
    }
    if (ec || n == 0) break;
    used += n;
  }
  if (ec || !parser.is_done()) return 0;  // the server answers 400 or waits for more
  const auto& request = parser.get();
  if (request.method() != http::verb::get) return 0;  // the server answers 405
  const std::string_view target(request.target().data(), request.target().size());
  Check(shipledger::rpc::AnswerTrackingGet(TheStore(), target));
  return 0;
}
