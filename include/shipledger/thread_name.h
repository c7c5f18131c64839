// Names the calling thread (at most 15 characters shown), so that top -H, perf and
// /proc/PID/task/*/comm tell the node's threads apart: sl-consensus, sl-commit, sl-peers, ...
// Thread-safety: affects only the calling thread.
#pragma once

namespace shipledger {

void SetThreadName(const char* name);

}  // namespace shipledger
