// Which jobs a dashboard page shows: the filters, sort and page of GET /api/jobs, parsed from
// its query string and applied to the job rows. Pure, so its rules are unit-tested on rows
// built by hand.
//
// Filters are on what the row says (state, pipeline, tenant, created time, file name); the
// sort is stable and ties fall back to the job id, so a page never shuffles between refreshes.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "pipelines/job_rows.hpp"
#include "pipelines/tenant_report.hpp"
#include "storage/result.hpp"
#include "tablestore/edm.hpp"

namespace fanfold::dashboard {

inline constexpr std::size_t kMaxJobsPerPage = 500;

struct JobQuery {
  std::vector<pipelines::JobState> states;  // any of these; empty = all
  std::string pipeline;                     // "" = both
  std::optional<std::string> tenant;        // "" = uploads that name no tenant
  std::string file_contains;                // case-insensitive, in the blob name
  std::optional<tablestore::EdmDateTime> created_from;
  std::optional<tablestore::EdmDateTime> created_to;  // exclusive
  // job, file, tenant, pipeline, state, rows, rejected, size, created, duration.
  std::string sort = "created";
  bool descending = true;
  std::size_t offset = 0;
  std::size_t limit = 100;  // 1..kMaxJobsPerPage
};

// From query parameters: state=Failed,Running pipeline= tenant= file= from= to= (ISO 8601)
// sort= order=asc|desc offset= limit=. InvalidArgument naming the parameter that is wrong.
storage::Result<JobQuery> ParseJobQuery(const std::multimap<std::string, std::string>& params);

// Picks one page of the jobs that match a query from rows seen one at a time (the Jobs table
// streamed page by page), in two passes, so a request holds one storage page, the page shown
// and the sort fields of the rows before it, never every row:
//   1. Offer() every row: counts the matches, totals them per tenant, and keeps the sort fields
//      (results, errors and specs dropped) of the best offset + limit.
//   2. Collect() every row again: keeps, whole, the rows of the page PageIds() names.
// A row that changed between the passes shows as read in the second (its place as in the
// first); one that disappeared is left out.
class JobSelector {
 public:
  JobSelector(JobQuery query, tablestore::EdmDateTime now);

  bool Matches(const pipelines::JobRow& row) const;
  void Offer(const pipelines::JobRow& row);
  std::size_t total() const { return total_; }
  const pipelines::TenantTotals& tenants() const { return tenants_; }
  // [offset, offset + limit) of the matches, in order.
  std::vector<std::string> PageIds() const;

  void Collect(pipelines::JobRow row);
  // The collected rows, in PageIds() order.
  std::vector<pipelines::JobRow> TakePage();

 private:
  // True when `a` comes before `b` in the list (ties broken by job id: a page never shuffles).
  bool Before(const pipelines::JobRow& a, const pipelines::JobRow& b) const;

  JobQuery query_;
  tablestore::EdmDateTime now_;
  std::size_t total_ = 0;
  pipelines::TenantTotals tenants_;
  std::vector<pipelines::JobRow> best_;               // a heap, the last of the best on top
  std::optional<std::vector<std::string>> page_ids_;  // PageIds(), once collecting starts
  std::unordered_set<std::string> on_page_;           // the same ids, for the per-row lookup
  std::map<std::string, pipelines::JobRow> page_rows_;
};

struct JobSelection {
  std::size_t total = 0;                // rows the filters keep
  std::vector<pipelines::JobRow> page;  // [offset, offset + limit) of them, sorted
  std::vector<pipelines::TenantReport> tenants;
};

// Both passes over rows already in memory (tests, small callers).
JobSelection SelectJobs(const std::vector<pipelines::JobRow>& rows, const JobQuery& query,
                        tablestore::EdmDateTime now);

// Seconds from creation to finish (or to `now` while unfinished); 0 without a creation time.
double JobDurationSeconds(const pipelines::JobRow& row, tablestore::EdmDateTime now);

}  // namespace fanfold::dashboard
