// Turns what a benchmark run measured into the cost model's JobUsage, with every assumption
// that takes written down once (kJobCostAssumptions) so the report prints them next to the
// numbers.
#pragma once

#include <string>
#include <vector>

#include "report/cost_model.hpp"
#include "report/results.hpp"

namespace fanfold::report {

// The assumptions, one sentence each, in the order the report lists them.
const std::vector<std::string>& JobCostAssumptions();

// The price id of the pipeline's own state: Table for orchestrated, Queue for chained.
std::string StatePriceId(const std::string& pipeline);

// One fanout run = one job.
JobUsage UsageOfRun(const FanoutRun& run, double file_bytes);

// A load/scale/faults case: the whole case (all its jobs); divide the breakdown by jobs.
JobUsage UsageOfCase(const LoadCase& c);

struct RunCost {
  CostBreakdown cost;
  double per_gb_usd = 0;  // total per GB of input
  double executions = 0;
};
storage::Result<RunCost> CostOfRun(const FanoutRun& run, const PipelineResults& results,
                                   const PriceTable& prices);

}  // namespace fanfold::report
