# Precompiled headers: every target of the tree reuses one of two, built once per build tree.
#
# A unity build already parses each heavy header once per batch of 16 files, but the tree has
# ~70 batches, and nlohmann/json with GoogleTest/GoogleMock and the standard library take about
# 3.5 s to parse at -O1 (an empty file including them). Most of a batch's time is template
# instantiation and code generation, not parsing, so the gain is modest: measured 15.4 -> 13.3 s
# (pipelines_common_tests) and 9.5 -> 8.4 s (an orchestrator batch), about 12% of the compile.
# Two kinds, so that no production code sees GoogleTest's macros (TEST, FAIL, ...):
#   fanfold_pch_core  the standard library and nlohmann/json: every library and program;
#   fanfold_pch_tests the same plus GoogleTest and GoogleMock: every target under tests/.
# GCC uses a precompiled header only when it was built with the same flags, which holds because
# the tree sets its flags globally (no target adds compile options; definitions such as
# FANFOLD_SOURCE_DIR do not appear in these headers, which GCC allows). -Winvalid-pch makes a
# header GCC refused a warning, and so a CI failure, instead of a silent slow build.
# The cost: a file that forgets an #include of one of these headers still compiles, here and in
# CI (which builds this way); only a build with FANFOLD_PRECOMPILED_HEADERS=OFF and
# FANFOLD_UNITY_BUILD=OFF would notice, and no script runs one.
option(FANFOLD_PRECOMPILED_HEADERS "Build with precompiled headers" ON)

set(FANFOLD_PCH_CORE_HEADERS
    <algorithm> <array> <atomic> <charconv> <chrono> <cmath> <condition_variable> <cstddef>
    <cstdint> <cstdio> <cstdlib> <cstring> <filesystem> <fstream> <functional> <limits> <map>
    <memory> <mutex> <optional> <set> <sstream> <string> <string_view> <thread> <utility>
    <variant> <vector> <nlohmann/json.hpp>)

# Applies the headers to every C++ library and program defined in `directory` and below.
function(fanfold_apply_precompiled_headers directory)
  if(NOT FANFOLD_PRECOMPILED_HEADERS)
    return()
  endif()
  add_library(fanfold_pch_core STATIC ${PROJECT_SOURCE_DIR}/cmake/precompiled_headers.cpp)
  target_link_libraries(fanfold_pch_core PRIVATE nlohmann_json::nlohmann_json)
  target_precompile_headers(fanfold_pch_core PRIVATE ${FANFOLD_PCH_CORE_HEADERS})
  if(FANFOLD_BUILD_TESTS)
    find_package(GTest REQUIRED)
    add_library(fanfold_pch_tests STATIC ${PROJECT_SOURCE_DIR}/cmake/precompiled_headers.cpp)
    target_link_libraries(fanfold_pch_tests PRIVATE nlohmann_json::nlohmann_json GTest::gmock)
    target_precompile_headers(fanfold_pch_tests PRIVATE ${FANFOLD_PCH_CORE_HEADERS}
                              <gtest/gtest.h> <gmock/gmock.h>)
  endif()
  fanfold_collect_targets("${directory}" targets)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(NOT type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|EXECUTABLE)$" OR target MATCHES
                                                                          "^fanfold_pch_")
      continue()
    endif()
    target_compile_options(${target} PRIVATE -Winvalid-pch)
    get_target_property(source_dir ${target} SOURCE_DIR)
    if(FANFOLD_BUILD_TESTS AND source_dir MATCHES "^${PROJECT_SOURCE_DIR}/tests(/|$)")
      target_precompile_headers(${target} REUSE_FROM fanfold_pch_tests)
    else()
      target_precompile_headers(${target} REUSE_FROM fanfold_pch_core)
    endif()
  endforeach()
endfunction()

function(fanfold_collect_targets directory out)
  get_property(found DIRECTORY "${directory}" PROPERTY BUILDSYSTEM_TARGETS)
  get_property(children DIRECTORY "${directory}" PROPERTY SUBDIRECTORIES)
  foreach(child IN LISTS children)
    fanfold_collect_targets("${child}" below)
    list(APPEND found ${below})
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()
