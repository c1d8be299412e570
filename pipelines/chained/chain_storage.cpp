#include "pipelines/chained/chain_storage.hpp"

#include "activities/merge_activity.hpp"
#include "pipelines/chained/chain_messages.hpp"
#include "pipelines/chained/chained_pipeline.hpp"
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

storage::Result<std::string> WriteResultOnce(const PipelineContext& context, const std::string& job,
                                             std::string result) {
  const auto blob = context.blobs.GetContainerClient(context.names.chain_results_container)
                        .GetBlobClient(ResultBlobName(job));
  storage::BlobUploadOptions upload;
  upload.content_type = "application/json";
  upload.conditions.if_none_match = "*";
  auto written = blob.Upload(result, upload);
  if (written.ok()) return result;
  if (!written.status().IsConflict() && !written.status().IsPreconditionFailed()) {
    return written.status();
  }
  auto existing = blob.DownloadToString();
  if (!existing.ok()) return existing.status();
  return std::move(existing->data);
}

storage::Status WriteJobCompleted(const PipelineContext& context, const std::string& job,
                                  std::uint32_t chunks, const std::string& result) {
  auto stored = activities::MergeOutputFromJson(result);
  if (!stored.ok()) return stored.status();
  JobCompletion completion;
  completion.result = result;
  completion.tally.done = chunks;
  completion.tally.rows = stored->result.rows;
  completion.tally.rejected = stored->result.rejected_rows;
  auto ended = context.jobs.Complete(job, completion);
  if (!ended.ok() && !ended.status().IsNotFound()) return ended.status();
  return storage::Status::Ok();
}

}  // namespace fanfold::pipelines::chained
