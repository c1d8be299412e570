#include "report/test_results.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

namespace fanfold::report {
namespace {

// GoogleTest writes durations as "1.234s".
double Seconds(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return 0;
  return std::strtod(value.get<std::string>().c_str(), nullptr);
}

std::string Count(const nlohmann::json& row, const char* key) {
  return std::to_string(row.value(key, 0));
}

}  // namespace

storage::Result<nlohmann::json> SummarizeTestResults(const std::string& directory) {
  std::vector<nlohmann::json> binaries;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("tests")) continue;
    binaries.push_back({{"name", entry.path().stem().string()},
                        {"tests", doc.value("tests", 0)},
                        {"failures", doc.value("failures", 0) + doc.value("errors", 0)},
                        {"disabled", doc.value("disabled", 0)},
                        {"seconds", Seconds(doc.value("time", nlohmann::json("0s")))}});
  }
  if (binaries.empty()) {
    return storage::Status::InvalidArgument("no GoogleTest result files in " + directory);
  }
  std::sort(binaries.begin(), binaries.end(),
            [](const auto& a, const auto& b) { return a.at("name") < b.at("name"); });
  nlohmann::json total = {{"binaries", binaries.size()},
                          {"tests", 0},
                          {"failures", 0},
                          {"disabled", 0},
                          {"seconds", 0.0}};
  for (const auto& row : binaries) {
    for (const char* key : {"tests", "failures", "disabled"})
      total[key] = total[key].get<int>() + row.at(key).get<int>();
    total["seconds"] = total["seconds"].get<double>() + row.at("seconds").get<double>();
  }
  return nlohmann::json{{"binaries", binaries}, {"total", total}};
}

std::string TestResultsTable(const nlohmann::json& summary, const std::string& path) {
  if (!summary.is_object() || !summary.contains("binaries")) {
    return "No test-suite results file (`" + path +
           "`) exists, so this report cites no pass counts; `bash scripts/test.sh` writes it.\n";
  }
  std::string t = "| binary | tests | failed | disabled | seconds |\n|---|--:|--:|--:|--:|\n";
  for (const auto& row : summary.at("binaries")) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", row.value("seconds", 0.0));
    t += "| `" + row.value("name", std::string()) + "` | " + Count(row, "tests") + " | " +
         Count(row, "failures") + " | " + Count(row, "disabled") + " | " + seconds + " |\n";
  }
  const auto& total = summary.at("total");
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.0f", total.value("seconds", 0.0));
  t += "\n" + Count(total, "tests") + " tests in " + Count(total, "binaries") + " binaries, " +
       Count(total, "failures") + " failed, " + Count(total, "disabled") + " disabled, " + seconds +
       " s of test time";
  if (summary.contains("command")) {
    t += ", from `" + summary.value("command", std::string()) + "` at commit `" +
         summary.value("git_commit", std::string("unknown")) + "` (" +
         summary.value("finished", std::string()) + ")";
  }
  t += ". *Source: `" + path + "`.*\n";
  return t;
}

}  // namespace fanfold::report
