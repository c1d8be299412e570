// After `fanfold run` or `fanfold demo` with --metrics-addr: scrapes every worker's /metrics,
// keeps each scrape next to that worker's log, and checks the sums against the jobs' rows, so a
// person sees at once whether the metrics tell the same story as the job status table.
#pragma once

#include <string>
#include <vector>

#include "cli/worker_children.hpp"
#include "pipelines/job_rows.hpp"

namespace fanfold::cli {

// Prints "metrics: ..." lines; false when a worker could not be scraped or the sums disagree
// with the jobs (fewer completed jobs, chunks or rows than the jobs report).
bool CheckWorkerMetrics(const WorkerChildren& workers, const std::vector<pipelines::JobRow>& jobs);

}  // namespace fanfold::cli
