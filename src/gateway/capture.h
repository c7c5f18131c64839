// CaptureQueue: EPCIS capture jobs (docs/gateway.md, "Capture"). A document accepted is stored
// (synced) before the 202, then one worker thread maps its events, signs them as the gateway's
// identity and submits them in order (cli::Importer), exactly as `shipledger import epcis`
// does; a job accepted but not finished when the gateway stopped runs again when it starts, and
// running it again is safe: each event's nonce comes from its event hash ID, so the node
// answers ALREADY_EXISTS with the receipt. The job's state (GET /capture/{id}) is kept in the
// index.
// Thread-safety: thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cli/client.h"
#include "config/identity.h"
#include "gateway/event_index.h"
#include "gateway/indexer.h"
#include "model/genesis.h"

namespace shipledger::gateway {

struct CaptureOptions {
  // "rollback" (the EPCIS default: nothing is submitted when any event cannot be captured) or
  // "proceed" (the others are).
  bool proceed = false;
  // How long a job waits for its VALID events to appear in the index, so that a finished job's
  // events can be queried. Default: 10 s.
  int64_t index_wait_ms = 10000;
};

class CaptureQueue {
 public:
  CaptureQueue(EventIndex& index, Indexer& indexer,
               std::function<Result<std::unique_ptr<cli::NodeClient>>()> connect,
               config::Identity signer, std::shared_ptr<const model::Genesis> genesis);
  ~CaptureQueue();  // Stop()

  // Runs the jobs left unfinished by an earlier run, then those accepted.
  void Start();
  void Stop();

  // Stores `document` (an EPCISDocument, already checked to be one) and queues its job;
  // returns the job's id.
  Result<std::string> Accept(const std::string& document, const CaptureOptions& options);
  // The job's state as JSON (GET /capture/{id}); NOT_FOUND for an unknown id.
  Result<std::string> Job(const std::string& id) const;
  // Waits until the job is finished or `timeout_ms` passed; whether it finished.
  bool Wait(const std::string& id, int64_t timeout_ms);

 private:
  void Run();
  void RunJob(const std::string& id);

  EventIndex& index_;
  Indexer& indexer_;
  const std::function<Result<std::unique_ptr<cli::NodeClient>>()> connect_;
  const config::Identity signer_;
  const std::shared_ptr<const model::Genesis> genesis_;
  std::mutex accept_mu_;  // held while a job is stored and queued, before mu_
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;  // guarded by mu_
  bool stopping_ = false;          // guarded by mu_
  std::thread thread_;
};

}  // namespace shipledger::gateway
