#include "pipelines/chained/chain_storage.hpp"

#include "pipelines/chained/chain_messages.hpp"
#include "queuestore/queue_options.hpp"
#include "telemetry/log.hpp"

namespace fanfold::pipelines::chained {

storage::Status PutForever(const queuestore::QueueClient& queue, std::string_view content,
                           std::chrono::seconds delay) {
  queuestore::PutMessageOptions put;
  put.visibility_delay = delay;
  put.time_to_live = queuestore::kNeverExpires;
  return queue.PutMessage(content, put).status();
}

storage::Status MarkJobFailed(const PipelineContext& context, const std::string& job,
                              const std::string& error) {
  nlohmann::json ended = {{"job", job}, {"pipeline", "chained"}};
  bool marked_now = false;
  const storage::Status marked =
      context.jobs
          .UpdateJob(job,
                     [&](JobRow& row) {
                       if (row.state == JobState::kCompleted || row.state == JobState::kRefused) {
                         return false;
                       }
                       row.state = JobState::kFailed;
                       row.error = ShortError(error);
                       row.finished = NowForTable();
                       ended = row.EndLogFields();
                       marked_now = true;
                       return true;
                     })
          .status();
  if (marked_now || !marked.ok()) {
    ended["error"] = error;
    telemetry::LogError("job.failed", ended);
  }
  return marked;
}

}  // namespace fanfold::pipelines::chained
