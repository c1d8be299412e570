// fanfold_test_summary DIR OUTPUT [COMMAND] [COMMIT]: folds the GoogleTest JSON files in DIR
// (GTEST_OUTPUT=json:DIR/) into one summary for the report; scripts/test.sh runs it after the
// tests pass.
#include <cstdio>
#include <ctime>
#include <fstream>

#include "report/test_results.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fanfold_test_summary DIR OUTPUT [COMMAND] [COMMIT]\n");
    return 2;
  }
  auto summary = fanfold::report::SummarizeTestResults(argv[1]);
  if (!summary.ok()) {
    std::fprintf(stderr, "fanfold_test_summary: %s\n", summary.status().message().c_str());
    return 1;
  }
  if (argc > 3) (*summary)["command"] = argv[3];
  if (argc > 4) (*summary)["git_commit"] = argv[4];
  const std::time_t now = std::time(nullptr);
  char finished[32];
  std::strftime(finished, sizeof finished, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  (*summary)["finished"] = finished;
  std::ofstream out(argv[2]);
  out << summary->dump(2) << "\n";
  return out ? 0 : 1;
}
