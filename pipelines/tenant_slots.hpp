// A tenant's concurrency slots: one row in the Jobs table (PartitionKey "tenant-<name>", RowKey
// "slots") listing the jobs that hold a slot, changed only under If-Match (optimistic
// concurrency, retried on 412/409), so two triggers racing for the last slot cannot both win.
//
// Nothing ever releases a slot explicitly: a job's row reaching a finished state (Completed,
// Failed, Refused) or vanishing is the release. When the row looks full, Acquire reads the listed
// jobs' rows and drops the finished ones before deciding, so a worker killed mid-job can never
// leak a slot, and the pipelines need no release step on any of their exit paths.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipelines/jobs_table.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines {

inline constexpr std::string_view kTenantSlotsRowKey = "slots";
// "tenant-acme"; "tenant-" for uploads that name no tenant. Never a job id's row: RowKey differs.
std::string TenantSlotsPartitionKey(const std::string& tenant);

struct SlotDecision {
  bool acquired = false;
  std::int64_t running = 0;  // jobs holding a slot, after dropping finished ones (this one too)
  std::int64_t limit = 0;
};

class TenantSlots {
 public:
  explicit TenantSlots(const JobsTable& jobs) : jobs_(jobs) {}

  // Takes a slot for `job` unless `limit` jobs still run. Idempotent: a job that already holds a
  // slot (a redelivered event after a crash) keeps it without a write. Uncontended and not full:
  // one read and one write. Full: plus one read per listed job.
  storage::Result<SlotDecision> Acquire(const std::string& tenant, const std::string& job,
                                        std::int64_t limit) const;
  // The jobs listed on the slot row, finished or not (for reports and tests).
  storage::Result<std::vector<std::string>> Holders(const std::string& tenant) const;

 private:
  struct SlotRow {
    std::vector<std::string> jobs;
    std::string etag;  // empty: no row yet
  };
  storage::Result<SlotRow> Read(const std::string& tenant) const;
  // The listed jobs whose rows are not finished (a missing row counts as finished).
  storage::Result<std::vector<std::string>> StillRunning(
      const std::vector<std::string>& jobs) const;

  const JobsTable& jobs_;
};

}  // namespace fanfold::pipelines
