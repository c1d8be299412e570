// Small storage steps every chained stage takes the same way.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "pipelines/pipeline_context.hpp"
#include "queuestore/queue_client.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines::chained {

// Put Message that never expires: a job's messages must outlive any pause of its workers (the
// service's default time to live, 7 days, would silently lose a paused job).
storage::Status PutForever(const queuestore::QueueClient& queue, std::string_view content,
                           std::chrono::seconds delay = std::chrono::seconds(0));

// The job row's end write for a job that cannot go on: Failed with `error`, unless it completed
// (or was refused) already. A Failed row is written again: a split that fails again during a
// retry must change the row, or the retry could not tell (see chained_retry.cpp).
storage::Status MarkJobFailed(const PipelineContext& context, const std::string& job,
                              const std::string& error);

// The commit point of a job: its result blob, written once (If-None-Match: *). Whichever merge of
// the job wrote it first decides the result (all merges of a job compute the same one; this
// makes sure the row and the blob agree): returns the blob's content, `result` or the earlier one.
storage::Result<std::string> WriteResultOnce(const PipelineContext& context, const std::string& job,
                                             std::string result);

// The job row's end write, from the result as the blob holds it (a job that was deleted passes).
storage::Status WriteJobCompleted(const PipelineContext& context, const std::string& job,
                                  std::uint32_t chunks, const std::string& result);

}  // namespace fanfold::pipelines::chained
