// Per-tenant totals over the Jobs table's job rows, for `fanfold tenants` and
// `fanfold status --tenant`. Pure: the caller lists the rows (one query).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "pipelines/job_rows.hpp"

namespace fanfold::pipelines {

struct TenantReport {
  std::string tenant;         // "" for uploads that name no tenant
  std::int64_t files = 0;     // job rows, refused ones included
  std::int64_t bytes = 0;     // their sizes
  std::int64_t rows = 0;      // rows read by their jobs
  std::int64_t rejected = 0;  // malformed rows counted by their jobs
  std::int64_t failed = 0;    // jobs Failed (chunks exhausted their attempts)
  std::int64_t refused = 0;   // jobs Refused (a limit, not text, ...)
  std::int64_t queued = 0;    // waiting to start (a concurrency slot, or not picked up yet)
  std::int64_t running = 0;
  std::int64_t completed = 0;
  // Over Completed jobs only: sum of sizes and of (finished - created), for the mean rate.
  std::int64_t completed_bytes = 0;
  double completed_seconds = 0;

  // Mean ingestion rate, bytes per second: completed_bytes / completed_seconds (0 when none).
  // Created, not started: the rate a tenant sees includes the time its jobs waited.
  double MeanBytesPerSecond() const;
};

// The row's tenant; for rows written before tenants existed, the blob name's first segment.
std::string TenantOfJob(const JobRow& row);

// Per-tenant totals built one row at a time, so a caller streaming the Jobs table (the
// dashboard) holds one report per tenant, never the rows.
class TenantTotals {
 public:
  void Add(const JobRow& row);
  // One report per tenant added, plus one for each name in `also` with no rows, in tenant name
  // order ("" first).
  std::vector<TenantReport> Reports(const std::vector<std::string>& also = {}) const;

 private:
  std::map<std::string, TenantReport> by_tenant_;
};

// One report per tenant seen in `rows` (a row's tenant, or for rows written before tenants
// existed the blob name's first segment), plus one for each name in `also` with no rows, in
// tenant name order ("" first).
std::vector<TenantReport> SummarizeTenants(const std::vector<JobRow>& rows,
                                           const std::vector<std::string>& also = {});

}  // namespace fanfold::pipelines
