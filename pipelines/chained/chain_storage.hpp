// Small storage steps every chained stage takes the same way.
#pragma once

#include <chrono>
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

}  // namespace fanfold::pipelines::chained
