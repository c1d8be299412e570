// Where a deployment's jobs live (container, queue and table names) and the storage clients every
// stage shares. One prefix separates deployments sharing an account: tests use a unique one per
// case; production uses none, so the names are the documented ones (uploads, blob-events, ...).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "activities/aggregate_activity.hpp"
#include "pipelines/jobs_table.hpp"
#include "pipelines/pipeline_names.hpp"
#include "queuestore/queue_client.hpp"
#include "queuestore/queue_service_client.hpp"
#include "storage/blob/blob_service_client.hpp"
#include "storage/connection_string.hpp"
#include "storage/pipeline.hpp"
#include "telemetry/log.hpp"

namespace fanfold::pipelines {

// The clients a stage needs, sharing one account. Cheap to copy (clients share pipelines).
struct PipelineContext {
  PipelineContext(const storage::StorageAccount& account, PipelineNames names,
                  const storage::PipelineOptions& options = {});

  storage::StorageAccount account;
  PipelineNames names;
  storage::BlobServiceClient blobs;
  queuestore::QueueServiceClient queues;
  JobsTable jobs;
  std::string worker = telemetry::ThisProcessName();
  // Fault injection for tests and drills: when set and it answers an error for (job, chunk),
  // that chunk's aggregate fails with it instead of reading, in either pipeline.
  std::function<storage::Status(const std::string& job, std::uint32_t chunk)> chunk_fault;
  // The aggregate of a chunk, with chunk_fault applied: what both pipelines call.
  storage::Result<activities::AggregateOutput> AggregateChunk(
      const std::string& job, const activities::AggregateInput& input) const;

  // Queue clients by name (names here are valid by construction, so this cannot fail for them).
  queuestore::QueueClient Queue(const std::string& name) const;
  // Creates the uploads container, the events queues and the Jobs table.
  storage::Status CreateCommonResources() const;
};

}  // namespace fanfold::pipelines
