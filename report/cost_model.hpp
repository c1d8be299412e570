// The cost of one job on Azure, from what the benchmark measured on Azurite: storage requests
// (by billing meter), storage held while the job runs, and compute priced as Azure Functions on
// the Consumption plan. Pure arithmetic over the price table, so it is unit-tested.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "report/prices.hpp"
#include "storage/result.hpp"

namespace fanfold::report {

// One worker process as the benchmark measured it.
struct WorkerUsage {
  double cpu_seconds = 0;   // user + system CPU over the run
  double peak_rss_kib = 0;  // its peak resident set
};

struct JobUsage {
  std::map<std::string, uint64_t> requests_by_kind;  // attempts on the wire, by counter kind
  double file_bytes = 0;                             // the input file(s)
  double held_seconds = 0;     // how long the file and the state are held (the job's latency)
  double state_bytes = 0;      // the pipeline's own state (rows, messages, result blobs)
  std::string state_price_id;  // the GB-month price of that state (table or queue)
  std::vector<WorkerUsage> workers;
  uint64_t executions = 0;  // messages handled (a Functions trigger runs once per message)
};

struct CostBreakdown {
  std::map<std::string, double> requests_usd_by_price;  // price id -> USD
  std::map<std::string, uint64_t> requests_by_price;    // price id -> requests
  double requests_usd = 0;
  double file_held_usd = 0;
  double state_held_usd = 0;
  double gb_seconds = 0;  // billed GB-s: CPU seconds x memory rounded up to 128 MB steps
  double gb_seconds_usd = 0;
  double executions_usd = 0;
  double compute_usd() const { return gb_seconds_usd + executions_usd; }
  double storage_usd() const { return requests_usd + file_held_usd + state_held_usd; }
  double total_usd() const { return compute_usd() + storage_usd(); }
};

// Memory as Consumption bills it: rounded up to the next multiple of step_mb (at least one
// step), capped at max_mb.
double BilledMemoryMb(double used_mb, double step_mb, double max_mb);

// GB-seconds of one worker: cpu_seconds x billed memory in GB (1 GB = 1,024 MB, as Azure's
// "MB-milliseconds / 1,024,000" conversion).
double WorkerGbSeconds(const WorkerUsage& worker, double step_mb, double max_mb);

// Storage price of `bytes` held for `seconds`, at a GB-month price (GB = 10^9 bytes, Azure's
// capacity unit), the month being `month_hours` long.
double HeldUsd(double bytes, double seconds, double usd_per_gb_month, double month_hours);

storage::Result<CostBreakdown> ComputeCost(const JobUsage& usage, const PriceTable& prices);

// Cost per GB of input: usd / (bytes / 10^9). Zero bytes is an error (no such run is reported).
storage::Result<double> PerGb(double usd, double bytes);

// The Consumption compute bill of `jobs` jobs in one month, with the monthly free grant
// (400,000 GB-s and 1 M executions per subscription) taken off first.
storage::Result<double> MonthlyComputeUsd(double gb_seconds_per_job, double executions_per_job,
                                          double jobs, const PriceTable& prices);

// How many such jobs a month the free grant covers entirely (the smaller of its two limits);
// infinity when a job uses neither.
storage::Result<double> JobsCoveredByFreeGrant(double gb_seconds_per_job, double executions_per_job,
                                               const PriceTable& prices);

// One always-on Premium EP1 instance for a month (context: the floor of a Premium plan).
storage::Result<double> PremiumEp1MonthUsd(const PriceTable& prices);

}  // namespace fanfold::report
