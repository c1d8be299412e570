// The benchmark's operations through the fanfold clients, and the storage they work on: one
// table, one container holding one large blob, and queues. Azurite's queue operations scan every
// message of the account (an in-memory collection without an index), so a backlog anywhere slows
// every queue operation everywhere; the queue cases therefore keep each backlog below a small
// pool and run in rounds: gets receive a pool of messages put untimed, deletes delete a pool put
// untimed, puts stop when they have put a pool and the queue is cleared. Every case starts with
// the work queues cleared. Names are random, so runs never collide on one account.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/case_runner.hpp"
#include "queuestore/queue_client.hpp"
#include "storage/blob/blob_client.hpp"
#include "storage/blob/blob_container_client.hpp"
#include "storage/connection_string.hpp"
#include "storage/counters.hpp"
#include "storage/pipeline.hpp"
#include "storage/result.hpp"
#include "tablestore/table_client.hpp"

namespace fanfold::bench {

struct WorkloadSettings {
  // Size of the blob that blob_range_read reads from. Default 64 MiB.
  uint64_t blob_bytes = 64ULL << 20;
  // Bytes per range read, at a random offset. Default 1 MiB.
  uint64_t range_bytes = 1ULL << 20;
  // Most messages a queue case lets pile up: the pool of one round. Default 100.
  size_t queue_pool = 100;
};

class ClientWorkloads {
 public:
  // Sends nothing: each Prepare creates what its operation needs (table, queues, container and
  // blob) the first time. The clients record into `counters`.
  static storage::Result<std::unique_ptr<ClientWorkloads>> Create(
      const storage::StorageAccount& account, storage::StorageCounters* counters,
      const WorkloadSettings& settings);
  ~ClientWorkloads();

  // Storage requests one call of the operation makes.
  static int RequestsPerOperation(const std::string& name);

  struct Prepared {
    Operation operation;
    Refill refill;  // empty for operations that never run out of work
  };
  // Makes `operation` (table_upsert, table_get, queue_put, queue_get, queue_delete, queue_cycle,
  // queue_peek, blob_range_read) ready to run, untimed: clears the work queues, puts a first pool.
  storage::Result<Prepared> Prepare(const std::string& operation);

  // Creates what table_get or queue_peek reads (an entity; a queue holding one message), for the
  // simple client, which reads the very same resources by these names.
  storage::Status EnsureReadTarget(const std::string& operation);
  const std::string& table_name() const { return table_name_; }
  const std::string& peek_queue_name() const { return peek_queue_name_; }
  static constexpr const char* kGetPartitionKey = "get";
  static constexpr const char* kGetRowKey = "row";

 private:
  struct Pool;

  ClientWorkloads() = default;
  storage::PipelineOptions PipelineOptions() const;
  storage::Status EnsureTable();
  storage::Status EnsureWorkQueues();
  storage::Status EnsureBlob();
  storage::Status ClearWorkQueues() const;
  // Puts settings_.queue_pool messages in parallel, keeping their receipts when asked.
  storage::Status PutPool(const queuestore::QueueClient& queue, Pool* receipts) const;

  storage::StorageAccount account_;
  storage::StorageCounters* counters_ = nullptr;
  WorkloadSettings settings_;
  std::string table_name_;
  std::string peek_queue_name_;
  std::string name_suffix_;
  std::unique_ptr<tablestore::TableClient> table_;
  bool get_entity_written_ = false;
  std::unique_ptr<storage::BlobContainerClient> container_;
  std::unique_ptr<storage::BlobClient> blob_;
  std::unique_ptr<queuestore::QueueClient> peek_queue_;
  std::unique_ptr<queuestore::QueueClient> cycle_queue_;
  std::unique_ptr<queuestore::QueueClient> put_queue_;
  std::unique_ptr<queuestore::QueueClient> get_queue_;
  std::unique_ptr<queuestore::QueueClient> delete_queue_;
  std::unique_ptr<Pool> pool_;  // the current round's work of queue_put / queue_delete
};

}  // namespace fanfold::bench
