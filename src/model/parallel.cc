#include "model/parallel.h"

namespace shipledger::model {

namespace {

class Inline final : public ParallelRunner {
 public:
  void ForEach(size_t n, const std::function<void(size_t)>& task) override {
    for (size_t i = 0; i < n; ++i) task(i);
  }
};

}  // namespace

ParallelRunner& InlineRunner() {
  static Inline runner;
  return runner;
}

}  // namespace shipledger::model
