// Running independent checks side by side (DESIGN §10: signatures are verified on all cores,
// off the gRPC threads and off the consensus thread). Callers hand a batch to a
// ParallelRunner; the node supplies a pool sized to the machine (node/verify_pool.h), tests and
// tools use InlineRunner().
// Thread-safety: a runner may be used from many threads at once.
#pragma once

#include <cstddef>
#include <functional>

namespace shipledger::model {

class ParallelRunner {
 public:
  virtual ~ParallelRunner() = default;
  // Calls task(i) once for every i in [0, n) and returns when all calls have returned. Calls
  // may run on other threads and in any order; `task` must be safe to call concurrently.
  virtual void ForEach(size_t n, const std::function<void(size_t)>& task) = 0;
};

// Runs every task on the caller's thread, in order.
ParallelRunner& InlineRunner();

}  // namespace shipledger::model
