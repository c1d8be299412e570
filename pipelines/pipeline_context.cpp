#include "pipelines/pipeline_context.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "telemetry/log.hpp"

namespace fanfold::pipelines {

PipelineContext::PipelineContext(const storage::StorageAccount& account_in, PipelineNames names_in,
                                 const storage::PipelineOptions& options)
    : account(account_in),
      names(std::move(names_in)),
      blobs(account_in, options),
      queues(account_in, options),
      jobs(account_in, names.jobs_table, options) {}

queuestore::QueueClient PipelineContext::Queue(const std::string& name) const {
  auto client = queues.GetQueueClient(name);
  if (!client.ok()) throw std::invalid_argument("invalid queue name " + name);
  return *client;
}

storage::Result<activities::AggregateOutput> PipelineContext::AggregateChunk(
    const std::string& job, const activities::AggregateInput& input) const {
  const auto start = std::chrono::steady_clock::now();
  const auto run = [&]() -> storage::Result<activities::AggregateOutput> {
    if (chunk_fault) FANFOLD_RETURN_IF_ERROR(chunk_fault(job, input.chunk.index));
    return activities::AggregateBlobChunk(blobs, input);
  };
  auto output = run();
  const double milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json fields = {
      {"job", job}, {"chunk", input.chunk.index}, {"duration_ms", milliseconds}};
  if (output.ok()) {
    fields["rows"] = output->partial.rows;
    fields["rejected"] = output->partial.rejected_rows();
    fields["bytes"] = output->bytes_downloaded;
    telemetry::LogInfo("chunk.aggregated", fields);
  } else {
    fields["error"] = output.status().ToString();
    telemetry::LogWarn("chunk.failed", fields);
  }
  return output;
}

storage::Status PipelineContext::CreateCommonResources() const {
  auto container = blobs.GetContainerClient(names.uploads_container).CreateIfNotExists();
  if (!container.ok()) return container.status();
  for (const auto& name : {names.events_queue, names.events_poison_queue}) {
    auto created = Queue(name).Create();
    if (!created.ok()) return created.status();
  }
  return jobs.CreateIfNotExists();
}

}  // namespace fanfold::pipelines
