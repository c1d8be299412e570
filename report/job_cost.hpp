// Turns what a benchmark run measured into the cost model's JobUsage, with every assumption
// that takes written down once (kJobCostAssumptions) so the report prints them next to the
// numbers.
#pragma once

#include <cstdint>
#include <map>
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

// The requests a job itself causes in a deployment that is already up: the measured ones less
// what each benchmark worker does once at start-up (queue, table and container creation: once
// per deployment, not per job) and less the empty polls (Get Messages beyond one per message
// handled, i.e. per Delete Message), whose rate is a worker setting (--idle-poll-ms), not a
// property of the pipeline.
std::map<std::string, uint64_t> WorkRequests(const std::map<std::string, uint64_t>& attempts);

// CostOfRun with only WorkRequests priced (compute and storage held unchanged).
storage::Result<RunCost> WorkCostOfRun(const FanoutRun& run, const PipelineResults& results,
                                       const PriceTable& prices);

}  // namespace fanfold::report
