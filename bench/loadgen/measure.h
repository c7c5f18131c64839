// What the load generator measures besides the load itself: the machine's all-core signature
// verification rate, CPU time (whole machine, this process, given processes), resident memory
// of a process, and latency percentiles.
// Thread-safety: free functions; MeasureVerifyRate runs its own threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shipledger/v1/types.pb.h"

namespace shipledger::loadgen {

struct VerifyRate {
  int threads = 0;
  double per_second = 0;  // all threads together
};

// Verifies the signatures of `samples` (as the node does: the signer's public key over the
// event signing message) on `threads` threads for `seconds`, and returns the total rate.
VerifyRate MeasureVerifyRate(const std::vector<v1::SignedEvent>& samples, int threads,
                             double seconds);

// CPU seconds (user + system) since boot of the whole machine, of this process, and of a
// process by pid (0 when it is gone).
double MachineBusySeconds();
double SelfCpuSeconds();
double ProcessCpuSeconds(int pid);
// VmRSS and VmHWM of a process in bytes (0 when unknown).
uint64_t ResidentBytes(int pid);
uint64_t PeakResidentBytes(int pid);

// The q-quantile (0..1) of `sorted` values, nearest rank; 0 when empty.
double Quantile(const std::vector<double>& sorted, double q);

}  // namespace shipledger::loadgen
