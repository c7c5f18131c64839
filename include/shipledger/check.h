// SHIPLEDGER_CHECK: an always-on check for programmer errors and broken safety invariants.
// It logs the condition and aborts the process. Never use it on input from a client or peer.
#pragma once

namespace shipledger::internal {
[[noreturn]] void CheckFailed(const char* expr, const char* file, int line, const char* msg);
}  // namespace shipledger::internal

#define SHIPLEDGER_CHECK(cond)                                                       \
  do {                                                                               \
    if (!(cond)) ::shipledger::internal::CheckFailed(#cond, __FILE__, __LINE__, ""); \
  } while (0)

#define SHIPLEDGER_CHECK_MSG(cond, msg)                                                 \
  do {                                                                                  \
    if (!(cond)) ::shipledger::internal::CheckFailed(#cond, __FILE__, __LINE__, (msg)); \
  } while (0)
