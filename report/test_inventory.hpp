// The test binaries the report lists, read from tests/*/CMakeLists.txt (the fanfold_add_test
// calls), so the list cannot drift from what CTest runs.
#pragma once

#include <string>
#include <vector>

namespace fanfold::report {

struct TestBinary {
  std::string name;
  std::string folder;   // tests/<folder>
  std::string label;    // unit | storage
  std::string comment;  // the comment block right above the call, if any
  int sources = 0;
};

// The fanfold_add_test calls of one CMakeLists.txt text.
std::vector<TestBinary> ParseTestCalls(const std::string& cmake_text, const std::string& folder);
// Every tests/<folder>/CMakeLists.txt under `tests_dir`, folders in name order.
std::vector<TestBinary> ScanTests(const std::string& tests_dir);

}  // namespace fanfold::report
