// Routes protobuf's own log lines (e.g. "String field ... contains invalid UTF-8 data", written
// for every such frame a peer or client sends) into spdlog, rate-limited, so that hostile input
// cannot flood the node's log. The message that was refused is still refused and counted where
// it was parsed.
#pragma once

namespace shipledger::node {

// Installs the handler. Call once, early in main. Thread-safe afterwards.
void RouteProtobufLogs();

}  // namespace shipledger::node
