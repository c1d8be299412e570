// Deterministic storage workloads for the fault-injection acceptance tests, and readers of the
// final state they leave. A workload is a fixed sequence drawn from a seed; run twice (once on a
// clean pipeline, once on a faulty one) it must leave the same tables and queues behind, and each
// step records what it saw so that the two runs can be compared step by step, not only at the end.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "queuestore/queue_client.hpp"
#include "storage/result.hpp"
#include "tablestore/table_client.hpp"

namespace fanfold::integration {

// What a run did: one line per step ("17 increment p2/r05 -> 3"), and, separately, the content of
// every message it received and deleted (kept apart because only Azurite promises FIFO order).
struct WorkloadTrace {
  std::vector<std::string> steps;
  std::vector<std::string> put_contents;
  std::vector<std::string> received_contents;
};

// The mixed sequence of the acceptance criterion: `steps` steps of table upserts and merges,
// read / If-Match increments (re-reading on 412 and on a lost insert race), deletes, entity group
// transactions, queue puts and queue gets followed by deletes. Any outcome the sequence does not
// expect (a 5xx that outlived the retries, a parse error) stops it with that Status.
storage::Result<WorkloadTrace> RunMixedWorkload(const tablestore::TableClient& table,
                                                const queuestore::QueueClient& queue, int steps,
                                                uint64_t seed);

// Idempotent writes only (upserts, upsert transactions, deletes that accept 404): a sequence that
// reaches the same state however many times each write is applied, so also under lost answers.
storage::Result<WorkloadTrace> RunUpsertWorkload(const tablestore::TableClient& table, int steps,
                                                 uint64_t seed);

// Every entity's custom properties by (PartitionKey, RowKey); ETags and Timestamps left out
// since they differ between two tables holding the same data.
using TableState = std::map<std::pair<std::string, std::string>, tablestore::PropertyMap>;
storage::Result<TableState> ReadTableState(const tablestore::TableClient& table);

// Receives (and so hides for 10 minutes) every visible message, returning their contents sorted,
// i.e. the queue's contents as a multiset.
storage::Result<std::vector<std::string>> DrainQueue(const queuestore::QueueClient& queue);

}  // namespace fanfold::integration
