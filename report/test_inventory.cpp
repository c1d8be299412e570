#include "report/test_inventory.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fanfold::report {

std::vector<TestBinary> ParseTestCalls(const std::string& text, const std::string& folder) {
  std::vector<TestBinary> out;
  std::istringstream in(text);
  std::string line;
  std::string comment;
  bool in_call = false;
  TestBinary current;
  while (std::getline(in, line)) {
    const size_t first = line.find_first_not_of(" \t");
    const std::string trimmed = first == std::string::npos ? "" : line.substr(first);
    if (!in_call) {
      if (trimmed.rfind("#", 0) == 0) {
        comment += (comment.empty() ? "" : " ") + trimmed.substr(trimmed.find_first_not_of("# "));
        continue;
      }
      if (trimmed.rfind("fanfold_add_test(", 0) == 0) {
        in_call = true;
        current = TestBinary{};
        current.folder = folder;
        current.comment = comment;
        current.label = "unit";
        std::string rest = trimmed.substr(std::string("fanfold_add_test(").size());
        current.name = rest.substr(0, rest.find_first_of(" \t)"));
      }
      comment.clear();
      if (!in_call) continue;
    } else if (trimmed.find(".cpp") != std::string::npos) {
      ++current.sources;
    }
    if (trimmed.find("STORAGE") != std::string::npos) current.label = "storage";
    // CLI: binaries that run the `fanfold` binary without storage (label "cli").
    if (trimmed.rfind("CLI", 0) == 0 &&
        (trimmed.size() == 3 || trimmed[3] == ')' || trimmed[3] == ' ')) {
      current.label = "cli";
    }
    if (in_call && trimmed.find(')') != std::string::npos) {
      in_call = false;
      out.push_back(current);
    }
  }
  return out;
}

std::vector<TestBinary> ScanTests(const std::string& tests_dir) {
  std::vector<std::filesystem::path> lists;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(tests_dir, ec)) {
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "CMakeLists.txt")) {
      lists.push_back(entry.path());
    }
  }
  std::sort(lists.begin(), lists.end());
  std::vector<TestBinary> out;
  for (const auto& dir : lists) {
    std::ifstream in(dir / "CMakeLists.txt");
    std::stringstream text;
    text << in.rdbuf();
    for (TestBinary& t : ParseTestCalls(text.str(), dir.filename().string())) {
      out.push_back(std::move(t));
    }
  }
  return out;
}

}  // namespace fanfold::report
