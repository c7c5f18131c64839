// Submits pre-signed journeys with C concurrent gRPC clients spread over the nodes: each client
// takes shipments in chunks of `batch` and submits step k of every shipment of its chunk in one
// SubmitEvents with wait_for_commit, so every event follows the one before it on the chain and
// each RPC's duration is its events' submit -> commit latency. With a rate, clients send on a
// fixed schedule and latency counts from the scheduled time (no coordinated omission).
// Thread-safety: Run is called once, from one thread; it runs its own threads.
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/security/credentials.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "shipledger/v1/types.pb.h"

namespace shipledger::loadgen {

struct RunOptions {
  std::vector<std::string> nodes;  // gRPC targets; client c uses nodes[c % size]
  int clients = 16;
  int batch = 100;  // shipments per chunk = events per SubmitEvents
  double rate = 0;  // events/s over all clients; 0: as fast as the nodes commit
  // TLS with a client certificate of the network (the node's client API admits no other).
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // Called from a thread of Run's own about every 200 ms while it runs: events finished
  // (committed or failed) of the total (a progress line on a terminal, cli/progress.h).
  std::function<void(uint64_t finished, uint64_t total)> on_progress;
};

struct RunResult {
  double seconds = 0;              // first submission to last commit seen by a submitter
  uint64_t submitted = 0;          // events with a receipt or an error
  uint64_t valid = 0;              // receipts VALID
  uint64_t rejected = 0;           // receipts REJECTED or DUPLICATE (committed, contract said no)
  uint64_t failed = 0;             // refused at admission or not committed in time
  uint64_t retries = 0;            // events resubmitted after RESOURCE_EXHAUSTED / UNAVAILABLE
  std::vector<double> latency_ms;  // one per committed event, sorted
  std::string first_failure;       // the first failure's message, for the report
  std::string first_retry;         // why the first retried event was refused, for the report
};

// A channel of its own to `target` (its own connection, as a separate client process would
// have) that redials within 10-100 ms rather than gRPC's default backoff of up to two minutes:
// a node that is restarting is seen the moment it serves.
std::shared_ptr<grpc::Channel> OwnChannel(const std::string& target,
                                          std::shared_ptr<grpc::ChannelCredentials> credentials);

// Consumes `journeys` (events are moved into requests).
RunResult Run(std::vector<std::vector<v1::SignedEvent>> journeys, const RunOptions& options);

}  // namespace shipledger::loadgen
