#include "pipelines/chained/chain_storage.hpp"

#include "pipelines/chained/chain_messages.hpp"
#include "queuestore/queue_options.hpp"

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
  auto failed = context.jobs.Fail(job, JobFailure{error, std::nullopt, std::nullopt});
  if (!failed.ok() && !failed.status().IsNotFound()) return failed.status();
  return storage::Status::Ok();
}

}  // namespace fanfold::pipelines::chained
