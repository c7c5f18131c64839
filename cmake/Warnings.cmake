# Strict warnings for our own targets only (generated protobuf code is built without them).
set(SHIPLEDGER_WARNINGS -Wall -Wextra -Werror -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)

function(shipledger_warnings target)
  target_compile_options(${target} PRIVATE ${SHIPLEDGER_WARNINGS})
endfunction()
