// Event-sourced history in the hub's History table.
// Layout, per instance (PartitionKey = instance id):
//   RowKey "0000000012"  a checkpoint's events (RowKey = index of its first event), Checkpoint =
//                        index of the checkpoint's first event, Count = events in this row, and
//                        either (inline) the events as one ASCII-only JSON array split over string
//                        properties Events0..EventsN (at most 30,000 characters each, 12 per row;
//                        a large checkpoint takes several rows), or (blob)
//                        EventsBlob = "@blob:<instance>/history-<RowKey>-<uuid>", a reference to a
//                        blob in the large-message container holding the whole checkpoint's array.
//   RowKey "~sentinel"   Length = number of committed events. Its ETag guards every append.
// An append inserts the new rows and replaces the sentinel (If-Match its ETag; Insert when the
// history is new) in ONE entity group transaction, so a checkpoint is atomic and a lost race
// (412/409) writes nothing. A checkpoint is inline when that transaction fits Azure's limits as
// encoded on the wire (100 actions, 4 MiB of $batch body: JSON escaping doubles every quote of
// the events' JSON). Otherwise its array is first written to a new blob, then ONE row naming it
// commits with the sentinel in the same transaction: a crash (or a lost race) in between leaves
// an unnamed blob and the old history valid. Names are never reused, so no writer overwrites a
// blob another committed. Unnamed blobs are garbage until Purge, which deletes every blob of the
// instance. Load reads both row forms. Event payloads too large for a message or a property live
// in their own blobs (see payload_store.hpp).
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
