#include "tests/integration/storage_lane.hpp"

#include "queuestore/queue_service_client.hpp"
#include "storage/pipeline.hpp"
#include "tablestore/table_service_client.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::integration {

using storage::Result;
using storage::SigningScheme;

Result<std::unique_ptr<StorageLane>> StorageLane::Create(const storage::StorageAccount& account,
                                                         const std::string& prefix,
                                                         const LaneOptions& options) {
  std::unique_ptr<StorageLane> lane(new StorageLane());
  const std::string name = testing::UniqueName(prefix);

  storage::PipelineOptions clean;
  clean.counters = &lane->clean_counters_;
  clean.retry.initial_delay = std::chrono::milliseconds(5);
  lane->clean_table_pipeline_ =
      storage::MakeStoragePipeline(account.credential, SigningScheme::kTable, clean);
  const tablestore::TableServiceClient clean_tables(account.table_endpoint,
                                                    lane->clean_table_pipeline_);
  const queuestore::QueueServiceClient clean_queues(
      account.queue_endpoint,
      storage::MakeStoragePipeline(account.credential, SigningScheme::kBlobOrQueue, clean));
  lane->table_endpoint_ = account.table_endpoint;
  FANFOLD_RETURN_IF_ERROR(clean_tables.CreateTable(name));
  lane->clean_table_ = std::make_unique<tablestore::TableClient>(clean_tables.GetTableClient(name));
  auto clean_queue = clean_queues.GetQueueClient(name);
  if (!clean_queue.ok()) return clean_queue.status();
  lane->clean_queue_ = std::make_unique<queuestore::QueueClient>(std::move(clean_queue).value());
  const auto created = lane->clean_queue_->Create();
  if (!created.ok()) return created.status();

  storage::PipelineOptions tested;
  tested.counters = &lane->counters_;
  tested.retry = options.retry;
  if (options.faults) {
    lane->faults_ = std::make_shared<storage::FaultInjectingTransport>(storage::DefaultTransport(),
                                                                       *options.faults);
    tested.transport = lane->faults_;
    if (options.disarm_faults_on_retry) {
      // The transport outlives the pipelines (the lane owns both), so a raw pointer is safe.
      storage::FaultInjectingTransport* faults = lane->faults_.get();
      tested.retry.sleep = [faults](std::chrono::milliseconds) {
        faults->set_options(storage::FaultOptions{});
      };
    }
  }
  const tablestore::TableServiceClient tables(
      account.table_endpoint,
      storage::MakeStoragePipeline(account.credential, SigningScheme::kTable, tested));
  const queuestore::QueueServiceClient queues(
      account.queue_endpoint,
      storage::MakeStoragePipeline(account.credential, SigningScheme::kBlobOrQueue, tested));
  lane->table_ = std::make_unique<tablestore::TableClient>(tables.GetTableClient(name));
  auto queue = queues.GetQueueClient(name);
  if (!queue.ok()) return queue.status();
  lane->queue_ = std::make_unique<queuestore::QueueClient>(std::move(queue).value());
  return lane;
}

StorageLane::~StorageLane() {
  // Best effort: a private Azurite disappears with the test binary anyway.
  if (clean_queue_) (void)clean_queue_->Delete();
  if (clean_table_) {
    (void)tablestore::TableServiceClient(table_endpoint_, clean_table_pipeline_)
        .DeleteTable(clean_table_->table_name());
  }
}

}  // namespace fanfold::integration
