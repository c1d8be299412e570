// The cost of one job on Azure, from what the benchmark measured on Azurite: storage requests
// (by billing meter), storage held while the job runs, and compute priced as Azure Functions on
// both the Consumption plan and the Flex Consumption plan (on demand). Pure arithmetic over the
// price table, so it is unit-tested.
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

// The two serverless Functions plans a job is priced on.
enum class HostingPlan { kConsumption, kFlexConsumption };

struct CostBreakdown {
  std::map<std::string, double> requests_usd_by_price;  // price id -> USD
  std::map<std::string, uint64_t> requests_by_price;    // price id -> requests
  double requests_usd = 0;
  double file_held_usd = 0;
  double state_held_usd = 0;
  // Consumption plan.
  double gb_seconds = 0;  // billed GB-s: CPU seconds x memory rounded up to 128 MB steps
  double gb_seconds_usd = 0;
  double executions_usd = 0;
  // Flex Consumption, on demand: each worker is one instance of the table's instance memory,
  // billed for its active seconds (at least the minimum, then in whole steps).
  double flex_gb_seconds = 0;
  double flex_gb_seconds_usd = 0;
  double flex_executions_usd = 0;
  double compute_usd() const { return gb_seconds_usd + executions_usd; }
  double flex_compute_usd() const { return flex_gb_seconds_usd + flex_executions_usd; }
  double storage_usd() const { return requests_usd + file_held_usd + state_held_usd; }
  // Storage is the same on both plans; the totals differ only by compute.
  double total_usd() const { return compute_usd() + storage_usd(); }
  double flex_total_usd() const { return flex_compute_usd() + storage_usd(); }
};

// Memory as Consumption bills it: rounded up to the next multiple of step_mb (at least one
// step), capped at max_mb.
double BilledMemoryMb(double used_mb, double step_mb, double max_mb);

// GB-seconds of one worker: cpu_seconds x billed memory in GB (1 GB = 1,024 MB, as Azure's
// "MB-milliseconds / 1,024,000" conversion).
double WorkerGbSeconds(const WorkerUsage& worker, double step_mb, double max_mb);

// Flex Consumption's billed activity of one instance, in milliseconds: nothing when it never ran,
// otherwise at least min_ms and then rounded up to a whole step_ms. Whole numbers of
// microseconds and milliseconds, so a boundary (1.2 s in 100 ms steps) never rounds up by error.
int64_t FlexBilledMs(double active_seconds, int64_t min_ms, int64_t step_ms);

// GB-s of one worker on Flex Consumption: billed seconds x the instance memory in GB
// (1 GB = 1,024 MB, as the plan's "MB-milliseconds / 1,024,000" conversion). The instance's
// size is billed, not what the process used. Active seconds are taken as its CPU seconds.
double FlexWorkerGbSeconds(const WorkerUsage& worker, double instance_memory_mb, int64_t min_ms,
                           int64_t step_ms);

// Storage price of `bytes` held for `seconds`, at a GB-month price (GB = 10^9 bytes, Azure's
// capacity unit), the month being `month_hours` long.
double HeldUsd(double bytes, double seconds, double usd_per_gb_month, double month_hours);

storage::Result<CostBreakdown> ComputeCost(const JobUsage& usage, const PriceTable& prices);

// Cost per GB of input: usd / (bytes / 10^9). Zero bytes is an error (no such run is reported).
storage::Result<double> PerGb(double usd, double bytes);

// The compute bill of `jobs` jobs in one month on `plan`, with that plan's monthly free grant
// taken off first (Consumption: 400,000 GB-s and 1 M executions; Flex Consumption on demand:
// 100,000 GB-s and 250,000 executions; both per subscription, figures from the price table).
storage::Result<double> MonthlyComputeUsd(HostingPlan plan, double gb_seconds_per_job,
                                          double executions_per_job, double jobs,
                                          const PriceTable& prices);

// How many such jobs a month the plan's free grant covers entirely (the smaller of its two
// limits); infinity when a job uses neither.
storage::Result<double> JobsCoveredByFreeGrant(HostingPlan plan, double gb_seconds_per_job,
                                               double executions_per_job, const PriceTable& prices);

// One always-on Premium EP1 instance for a month (context: the floor of a Premium plan).
storage::Result<double> PremiumEp1MonthUsd(const PriceTable& prices);

}  // namespace fanfold::report
