// The test suite's results as the report cites them: GoogleTest writes one JSON file per test
// binary when GTEST_OUTPUT=json:DIR/ is set (scripts/test.sh sets it), and SummarizeTestResults
// folds those files into bench/results/tests-latest.json: per binary, tests run, failures,
// disabled tests and seconds, plus the totals.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "storage/result.hpp"

namespace fanfold::report {

// {"binaries": [{"name", "tests", "failures", "disabled", "seconds"}...], "total": {...}}, binaries
// in name order. InvalidArgument when the directory holds no readable result file.
storage::Result<nlohmann::json> SummarizeTestResults(const std::string& directory);

// The report's table of a summary (TestsResultsTable) and its one-line verdict.
std::string TestResultsTable(const nlohmann::json& summary, const std::string& path);

}  // namespace fanfold::report
