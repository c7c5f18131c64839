// libFuzzer's initialiser for the targets that need nothing else before their first input
// (CMakeLists.txt links it into them): protobuf's parse-error log lines, one per malformed
// input, would bury the fuzzer's own output.
#include "fuzz/fuzz_network.h"

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  shipledger::fuzz::QuietProtobufLogs();
  return 0;
}
