// A "lane" is one run's private storage: a fresh table and queue, clients on a pipeline of the
// lane's own (counters, transport), and clients on a separate fault-free pipeline for setup and
// for reading the final state, so that the counters under test see only the workload's requests.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "queuestore/queue_client.hpp"
#include "storage/connection_string.hpp"
#include "storage/counters.hpp"
#include "storage/fault_injecting_transport.hpp"
#include "storage/result.hpp"
#include "storage/retry_policy.hpp"
#include "tablestore/table_client.hpp"

namespace fanfold::integration {

struct LaneOptions {
  // Retry options of the pipeline under test. Default: the pipeline's defaults.
  storage::RetryOptions retry;
  // When set, the pipeline under test sends through a FaultInjectingTransport with these
  // options; when unset (default), through the process's ordinary transport.
  std::optional<storage::FaultOptions> faults;
  // When true, every retry first switches the faults off, so that only the first attempt of an
  // operation can suffer one: the way to stage "this answer was lost" exactly once. Default off.
  bool disarm_faults_on_retry = false;
};

class StorageLane {
 public:
  // Creates a uniquely named table and queue (prefix: lower-case letters) through the clean
  // pipeline. The lane deletes both when destroyed.
  static storage::Result<std::unique_ptr<StorageLane>> Create(
      const storage::StorageAccount& account, const std::string& prefix,
      const LaneOptions& options);
  ~StorageLane();
  StorageLane(const StorageLane&) = delete;
  StorageLane& operator=(const StorageLane&) = delete;

  // Clients on the pipeline under test.
  const tablestore::TableClient& table() const { return *table_; }
  const queuestore::QueueClient& queue() const { return *queue_; }
  // Clients on the fault-free pipeline, whose requests the lane's counters do not see.
  const tablestore::TableClient& clean_table() const { return *clean_table_; }
  const queuestore::QueueClient& clean_queue() const { return *clean_queue_; }

  // The counters of the pipeline under test (table and queue requests together).
  storage::CounterSnapshot counters() const { return counters_.Snapshot(); }
  // The fault transport, or nullptr when the lane has none.
  storage::FaultInjectingTransport* faults() const { return faults_.get(); }

 private:
  StorageLane() = default;

  storage::StorageCounters counters_;
  storage::StorageCounters clean_counters_;
  std::shared_ptr<storage::FaultInjectingTransport> faults_;
  std::unique_ptr<tablestore::TableClient> table_;
  std::unique_ptr<queuestore::QueueClient> queue_;
  std::unique_ptr<tablestore::TableClient> clean_table_;
  std::unique_ptr<queuestore::QueueClient> clean_queue_;
  std::shared_ptr<const storage::Pipeline> clean_table_pipeline_;
  storage::Url table_endpoint_;
};

}  // namespace fanfold::integration
