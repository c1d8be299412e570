// The test suite's summary for the report, from GoogleTest's own JSON result files.
#include "report/test_results.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fanfold::report {
namespace {

const std::string kDir = std::string(FANFOLD_SOURCE_DIR) + "/tests/report/data/gtest";

TEST(TestResults, SumsEveryBinaryAndSkipsFilesThatAreNotResults) {
  auto summary = SummarizeTestResults(kDir);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->at("binaries").size(), 2u);
  EXPECT_EQ(summary->at("binaries")[0].at("name"), "alpha_tests");
  EXPECT_EQ(summary->at("binaries")[1].at("failures"), 1);
  const auto& total = summary->at("total");
  EXPECT_EQ(total.at("tests"), 15);
  EXPECT_EQ(total.at("failures"), 1);
  EXPECT_EQ(total.at("disabled"), 1);
  EXPECT_DOUBLE_EQ(total.at("seconds").get<double>(), 1.75);
}

TEST(TestResults, AnEmptyDirectoryIsAnError) {
  EXPECT_FALSE(SummarizeTestResults(kDir + "/missing").ok());
}

TEST(TestResults, TableNamesTheFileAndTheTotals) {
  auto summary = SummarizeTestResults(kDir);
  ASSERT_TRUE(summary.ok());
  const std::string table = TestResultsTable(*summary, "bench/results/tests-latest.json");
  EXPECT_NE(table.find("| `beta_tests` | 3 | 1 | 0 | 0.25 |"), std::string::npos) << table;
  EXPECT_NE(table.find("15 tests in 2 binaries, 1 failed"), std::string::npos) << table;
  EXPECT_NE(table.find("bench/results/tests-latest.json"), std::string::npos);
  EXPECT_NE(TestResultsTable(nullptr, "x.json").find("No test-suite results"), std::string::npos);
}

}  // namespace
}  // namespace fanfold::report
