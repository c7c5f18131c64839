# Strict warnings for our own targets only (generated protobuf code is built without them).
# -Wnull-dereference is left out: GCC 12 reports it at -O2 inside inlined gRPC and CLI11 headers.
set(SHIPLEDGER_WARNINGS -Wall -Wextra -Werror -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wcast-align -Wunused -Woverloaded-virtual -Wimplicit-fallthrough)

function(shipledger_warnings target)
  target_compile_options(${target} PRIVATE ${SHIPLEDGER_WARNINGS})
endfunction()
