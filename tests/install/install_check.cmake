# Run by CTest (see CMakeLists.txt here): installs BUILD_DIR into a fresh PREFIX, then checks
# that the one file installed is BINARY (a path relative to PREFIX) and that it runs.
file(REMOVE_RECURSE "${PREFIX}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${result}):\n${output}")
endif()

file(GLOB_RECURSE installed LIST_DIRECTORIES false RELATIVE "${PREFIX}" "${PREFIX}/*")
list(SORT installed)
if(NOT installed STREQUAL BINARY)
  message(FATAL_ERROR "installed files: [${installed}]\nexpected only: ${BINARY}")
endif()

execute_process(
  COMMAND "${PREFIX}/${BINARY}" --version
  RESULT_VARIABLE result
  OUTPUT_VARIABLE version
  ERROR_VARIABLE version)
if(NOT result EQUAL 0 OR NOT version MATCHES "^fanfold ")
  message(FATAL_ERROR "the installed fanfold --version gave ${result}: ${version}")
endif()
message(STATUS "installed: ${installed}; ${version}")
