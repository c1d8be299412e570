// Every value the report template can name, computed from the results (and the price table, the
// other benchmarks' files and the test inventory). Nothing here is typed by hand: prose lives in
// report/template.md, numbers and the words that compare them come from here.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "report/figures.hpp"
#include "report/prices.hpp"
#include "report/results.hpp"
#include "report/template.hpp"
#include "report/test_inventory.hpp"
#include "storage/result.hpp"

namespace fanfold::report {

struct ReportInputs {
  PipelineResults results;
  PriceTable prices;
  std::string prices_path;
  std::vector<ReportFigure> figures;
  std::string figures_rel_dir = "figures";  // as REPORT.md links them
  std::vector<TestBinary> tests;
  // The other benchmarks' results (null when absent), with the path each was read from.
  nlohmann::json parser, engine, storage_bench, tests_results, idle;
  std::string parser_path, engine_path, storage_path, tests_results_path, idle_path;
};

storage::Result<Values> ComputeValues(const ReportInputs& in);

// The best (lowest-latency) completed fanout run of a file and pipeline; nullptr if none.
const FanoutRun* BestRun(const PipelineResults& r, const std::string& file,
                         const std::string& pipeline);
// The cheapest completed run by total cost per GB, or nullptr.
const FanoutRun* CheapestRun(const PipelineResults& r, const PriceTable& prices,
                             const std::string& file, const std::string& pipeline);

}  // namespace fanfold::report
