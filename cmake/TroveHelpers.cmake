# trove_module(NAME SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# One static library per module: trove_NAME, alias trove::NAME. Its link line is its arrow in
# docs/ARCHITECTURE.md; a dependency is PUBLIC only when a public header needs it.
function(trove_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(trove_${name} STATIC ${ARG_SOURCES})
  add_library(trove::${name} ALIAS trove_${name})
  target_include_directories(trove_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(trove_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# trove_test(NAME SOURCES ... DEPS ... [LABELS ...])
# A GoogleTest binary registered with ctest; tests run from the source tree's root so that
# fixtures resolve as tests/data/... and ../shared/data/...
function(trove_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE TROVE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                       PROPERTIES LABELS "${ARG_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()
