#include "shipledger/thread_name.h"

#include <pthread.h>

#include <string>

namespace shipledger {

void SetThreadName(const char* name) {
  // Linux limits names to 15 characters plus the terminator; longer ones are refused.
  const std::string shown = std::string(name).substr(0, 15);
  pthread_setname_np(pthread_self(), shown.c_str());
}

}  // namespace shipledger
