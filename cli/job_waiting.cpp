#include "cli/job_waiting.hpp"

#include <cstdio>
#include <thread>

namespace fanfold::cli {

OptionSpec TimeoutOption() {
  return {"timeout", true, "with --wait, give up after S seconds (default 3600)", "S"};
}

storage::Result<std::chrono::seconds> ParseTimeout(const Arguments& arguments) {
  auto seconds = arguments.IntegerOr("timeout", 3600, 1, 30LL * 24 * 3600);
  if (!seconds.ok()) return seconds.status();
  return std::chrono::seconds(*seconds);
}

storage::Result<std::vector<pipelines::JobRow>> WaitForJobs(
    const pipelines::PipelineContext& context, const std::vector<std::string>& jobs,
    const JobWaitOptions& options) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto deadline = start + options.timeout;
  constexpr auto kHintAfter = std::chrono::seconds(15);
  bool hinted = false;
  std::vector<pipelines::JobRow> rows(jobs.size());
  std::vector<bool> finished(jobs.size(), false);
  std::size_t remaining = jobs.size();
  while (true) {
    if (options.check) FANFOLD_RETURN_IF_ERROR(options.check());
    bool missing = false;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (finished[i]) continue;
      auto row = context.jobs.GetJob(jobs[i]);
      if (!row.ok()) {
        if (!row.status().IsNotFound()) return row.status();
        missing = true;
        continue;
      }
      rows[i] = std::move(*row);
      if (pipelines::IsFinished(rows[i].state)) {
        finished[i] = true;
        --remaining;
      }
    }
    if (remaining == 0) return rows;
    const auto now = Clock::now();
    if (missing && !hinted && now - start >= kHintAfter && !options.no_row_hint.empty()) {
      std::fprintf(stderr, "%s\n", options.no_row_hint.c_str());
      hinted = true;
    }
    if (now >= deadline) {
      std::string waiting;
      for (std::size_t i = 0; i < jobs.size(); ++i) {
        if (finished[i]) continue;
        waiting += (waiting.empty() ? "" : ", ") + jobs[i] + " (" +
                   (rows[i].job.empty() ? "no worker has picked it up"
                                        : pipelines::JobStateName(rows[i].state)) +
                   ")";
      }
      return storage::Status::Timeout(
          "gave up waiting after " + std::to_string(options.timeout.count()) + " s for " + waiting);
    }
    std::this_thread::sleep_for(std::min<Clock::duration>(options.poll_interval, deadline - now));
  }
}

}  // namespace fanfold::cli
