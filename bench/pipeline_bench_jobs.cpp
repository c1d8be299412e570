#include "bench/pipeline_bench_jobs.hpp"

#include <filesystem>
#include <thread>

#include "pipelines/upload.hpp"

namespace fanfold::bench {

Submission SubmitFile(const pipelines::PipelineContext& context, const std::string& path,
                      const pipelines::UploadOptions& options) {
  Submission submission;
  submission.path = path;
  submission.name = std::filesystem::path(path).filename().string();
  submission.upload_start = WallClock::now();
  auto uploaded = pipelines::UploadFile(context, path, options);
  submission.posted = WallClock::now();
  if (!uploaded.ok()) {
    submission.error = uploaded.status().ToString();
    return submission;
  }
  submission.job = uploaded->job;
  submission.bytes = uploaded->size;
  return submission;
}

double SecondsBetween(WallClock::time_point from, WallClock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

WallClock::time_point FinishedTime(const pipelines::JobRow& row) {
  if (!row.finished) return WallClock::time_point{};
  return std::chrono::time_point_cast<WallClock::duration>(*row.finished);
}

storage::Status WaitForJobRows(const pipelines::PipelineContext& observer,
                               const WaitSettings& settings,
                               std::map<std::string, pipelines::JobRow>* rows) {
  while (true) {
    if (settings.on_poll) FANFOLD_RETURN_IF_ERROR(settings.on_poll());
    // Read before listing, so a job added meanwhile is not taken for finished unseen.
    const bool submitted = settings.all_submitted();
    const std::vector<std::string> expected = settings.expected();
    storage::Result<std::vector<pipelines::JobRow>> listed = std::vector<pipelines::JobRow>{};
    if (expected.size() == 1) {
      // One job: a point read is cheaper for Azurite than a query.
      auto row = observer.jobs.GetJob(expected.front());
      if (row.ok()) {
        listed = std::vector<pipelines::JobRow>{std::move(*row)};
      } else {
        listed = row.status();
      }
    } else if (!expected.empty()) {
      listed = observer.jobs.ListJobs();
    }
    if (listed.ok()) {
      for (auto& row : *listed)
        (*rows)[row.job] = std::move(row);
    } else if (!listed.status().IsNotFound()) {
      return listed.status();
    }
    std::size_t finished = 0;
    for (const auto& job : expected) {
      const auto it = rows->find(job);
      if (it != rows->end() && pipelines::IsFinished(it->second.state)) ++finished;
    }
    if (submitted && finished == expected.size()) return storage::Status::Ok();
    if (WallClock::now() >= settings.deadline) {
      return storage::Status::Timeout(std::to_string(expected.size() - finished) + " of " +
                                      std::to_string(expected.size()) +
                                      " jobs unfinished at the deadline");
    }
    std::this_thread::sleep_for(settings.poll_interval);
  }
}

}  // namespace fanfold::bench
