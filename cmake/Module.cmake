# shipledger_module(NAME DEPS ...): one static library per folder under src/ (DESIGN §2).
# Sources are the folder's *.cc files; headers are included as "NAME/file.h".
# Each module's include path is a folder of its own in the build tree holding one link, NAME ->
# src/NAME, so a module (and a test or tool) sees the headers of the modules it links and no
# others: an include of a module not linked fails to compile. scripts/check-deps.sh checks the
# includes against DESIGN §2's table itself.
function(shipledger_module name)
  cmake_parse_arguments(M "" "" "DEPS;PRIVATE_DEPS" ${ARGN})
  set(view ${CMAKE_BINARY_DIR}/module-include/${name})
  file(MAKE_DIRECTORY ${view})
  if(NOT IS_SYMLINK ${view}/${name})
    file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${view}/${name} SYMBOLIC)
  endif()
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  list(FILTER srcs EXCLUDE REGEX ".*_main\\.cc$")
  if(NOT srcs)
    # A module whose sources are not written yet: headers only.
    add_library(shipledger_${name} INTERFACE)
    target_include_directories(shipledger_${name} INTERFACE ${view} ${PROJECT_SOURCE_DIR}/include)
    target_link_libraries(shipledger_${name} INTERFACE ${M_DEPS})
    return()
  endif()
  add_library(shipledger_${name} STATIC ${srcs})
  target_include_directories(shipledger_${name} PUBLIC ${view} ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(shipledger_${name} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  shipledger_warnings(shipledger_${name})
endfunction()

# shipledger_unit_tests(NAME DEPS ... [EXCLUDE gtest-negative-filter]): tests/unit/NAME/*_test.cc
# as one gtest binary. EXCLUDE keeps helper entry points (e.g. a crash-test child process that a
# test re-executes) out of ctest.
function(shipledger_unit_tests name)
  cmake_parse_arguments(T "" "EXCLUDE" "DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  if(NOT srcs)
    return()
  endif()
  add_executable(${name}_unit_tests ${srcs})
  target_link_libraries(${name}_unit_tests PRIVATE ${T_DEPS} GTest::gtest_main GTest::gmock)
  shipledger_warnings(${name}_unit_tests)
  set(filter)
  if(T_EXCLUDE)
    set(filter TEST_FILTER "-${T_EXCLUDE}")
  endif()
  gtest_discover_tests(${name}_unit_tests DISCOVERY_TIMEOUT 60 ${filter} PROPERTIES LABELS unit)
endfunction()
