// Event-sourced history in the hub's History table.
// Layout, per instance (PartitionKey = instance id):
//   RowKey "0000000012"  one row per checkpoint (or a few, for a very large one): the events
//                        appended by that checkpoint, as JSON split over string properties
//                        Events0..EventsN (a property holds at most 32K UTF-16 characters).
//   RowKey "~sentinel"   Length = number of committed events. Its ETag guards every append.
// An append inserts the new rows and replaces the sentinel (If-Match its ETag; Insert when the
// history is new) in ONE entity group transaction, so a checkpoint is atomic and a lost race
// (412/409) writes nothing. Packing a checkpoint's events into one row keeps even a 1,000-way
// fan-out far below the transaction's 100 operations. Payloads over 45 KiB live in blobs.
#pragma once

#include <string>
#include <vector>

#include "orchestrator/history_event.hpp"
#include "orchestrator/payload_store.hpp"
#include "storage/result.hpp"
#include "tablestore/table_client.hpp"

namespace fanfold::orchestrator {

struct HistorySnapshot {
  std::vector<HistoryEvent> events;
  // events[checkpoint_starts[i]] is the first event of the i-th checkpoint.
  std::vector<size_t> checkpoint_starts;
  std::string sentinel_etag;  // empty when the instance has no history
};

class HistoryStore {
 public:
  HistoryStore(tablestore::TableClient table, const PayloadStore* payloads)
      : table_(std::move(table)), payloads_(payloads) {}

  storage::Result<HistorySnapshot> Load(const std::string& instance_id) const;
  // The sentinel's ETag, or "" when the instance has no history. One point read: how a worker
  // checks that its cached replay is still current.
  storage::Result<std::string> SentinelEtag(const std::string& instance_id) const;
  // Appends `events` as one checkpoint after `committed` events. `expected_etag` is the sentinel
  // ETag the caller's view is based on ("" for a new history). Returns the new sentinel ETag;
  // IsPreconditionFailed() or IsConflict() means another writer got there first.
  storage::Result<std::string> Append(const std::string& instance_id,
                                      const std::string& expected_etag, size_t committed,
                                      const std::vector<HistoryEvent>& events) const;
  // Deletes the instance's whole history.
  storage::Status Purge(const std::string& instance_id) const;

 private:
  tablestore::TableClient table_;
  const PayloadStore* payloads_;
};

}  // namespace fanfold::orchestrator
