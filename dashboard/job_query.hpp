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
#include <vector>

#include "pipelines/job_rows.hpp"
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

struct JobSelection {
  std::vector<pipelines::JobRow> matching;  // every row the filters keep, sorted
  std::size_t total = 0;                    // matching.size()
  std::vector<pipelines::JobRow> page;      // [offset, offset + limit) of matching
};

JobSelection SelectJobs(std::vector<pipelines::JobRow> rows, const JobQuery& query,
                        tablestore::EdmDateTime now);

// Seconds from creation to finish (or to `now` while unfinished); 0 without a creation time.
double JobDurationSeconds(const pipelines::JobRow& row, tablestore::EdmDateTime now);

}  // namespace fanfold::dashboard
