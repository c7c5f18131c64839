// What the gRPC services need from the node: the genesis, validator, store, clock, ordering and
// commit notifications. Implemented by node/; tests may provide their own.
// Thread-safety: every member is callable from any gRPC thread.
#pragma once

#include <vector>

#include "model/genesis.h"
#include "model/parallel.h"
#include "model/validation.h"
#include "rpc/commit_notifier.h"
#include "shipledger/clock.h"
#include "shipledger/metrics.h"
#include "shipledger/v1/ledger.pb.h"
#include "storage/store.h"

namespace shipledger::rpc {

class Backend {
 public:
  virtual ~Backend() = default;
  virtual const model::Genesis& genesis() const = 0;
  virtual const model::EventValidator& validator() const = 0;
  // Where admission checks a request's signatures side by side (DESIGN §10). Default: inline.
  virtual model::ParallelRunner& runner() { return model::InlineRunner(); }
  virtual const storage::Store& store() const = 0;
  virtual const Clock& clock() const = 0;
  virtual CommitNotifier& notifier() = 0;
  // Hands admitted events to ordering. One Status per event, in order: OK, ALREADY_EXISTS
  // (pending or being ordered), RESOURCE_EXHAUSTED (queue full) or UNAVAILABLE (stopping).
  virtual std::vector<Status> Order(const std::vector<model::EventPtr>& events) = 0;
  virtual v1::NodeStatus NodeStatus() const = 0;
  // Longest time SubmitEvents waits for commit (node.yaml max_wait_ms).
  virtual uint32_t max_wait_ms() const = 0;
  // Where the client API counts what it does (admission refusals); null: not counted.
  virtual metrics::Registry* metrics() { return nullptr; }
  // The organisation that runs this node (its admins may take backups); empty: none.
  virtual std::string organisation() const { return {}; }
  // A copy of the data dir taken while the node runs (AdminService.CreateBackup).
  virtual Result<v1::Backup> CreateBackup() {
    return Status::Unimplemented("this node does not take backups");
  }
};

}  // namespace shipledger::rpc
