# Generates C++ (messages + gRPC services) from proto/shipledger/v1/*.proto and the standard
# health-checking proto/grpc/health/v1/health.proto into the build tree.
set(SHIPLEDGER_PROTO_DIR ${CMAKE_SOURCE_DIR}/proto)
set(SHIPLEDGER_PROTO_OUT ${CMAKE_BINARY_DIR}/gen)
file(MAKE_DIRECTORY ${SHIPLEDGER_PROTO_OUT})
get_target_property(SHIPLEDGER_GRPC_CPP_PLUGIN gRPC::grpc_cpp_plugin LOCATION)

set(SHIPLEDGER_PROTO_SRCS)
foreach(name shipledger/v1/types shipledger/v1/peer shipledger/v1/ledger grpc/health/v1/health)
  set(in ${SHIPLEDGER_PROTO_DIR}/${name}.proto)
  set(base ${SHIPLEDGER_PROTO_OUT}/${name})
  add_custom_command(
    OUTPUT ${base}.pb.cc ${base}.pb.h ${base}.grpc.pb.cc ${base}.grpc.pb.h
    COMMAND protobuf::protoc
      --proto_path=${SHIPLEDGER_PROTO_DIR}
      --cpp_out=${SHIPLEDGER_PROTO_OUT}
      --grpc_out=${SHIPLEDGER_PROTO_OUT}
      --plugin=protoc-gen-grpc=${SHIPLEDGER_GRPC_CPP_PLUGIN}
      ${in}
    DEPENDS ${in} protobuf::protoc
    COMMENT "protoc ${name}.proto")
  list(APPEND SHIPLEDGER_PROTO_SRCS ${base}.pb.cc ${base}.grpc.pb.cc)
endforeach()

add_library(shipledger_proto STATIC ${SHIPLEDGER_PROTO_SRCS})
target_include_directories(shipledger_proto SYSTEM PUBLIC ${SHIPLEDGER_PROTO_OUT})
target_link_libraries(shipledger_proto PUBLIC protobuf::libprotobuf gRPC::grpc++)
