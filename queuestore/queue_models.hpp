// What the Queue service tells us about queues and messages, as plain values.
// Message content is always the caller's original bytes: the client Base64-encodes on the way in
// and decodes on the way out, so models never hold the wire form (see content_is_raw for the one
// exception). Times are UTC; a message that never expires reports 9999-12-31T23:59:59Z.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "storage/http_date.hpp"
#include "storage/http_message.hpp"

namespace fanfold::queuestore {

// Queue metadata: names are case-insensitive for the service (it keeps the case they were
// written with), so lookups here are case-insensitive too.
using QueueMetadata = std::map<std::string, std::string, storage::CaseInsensitiveLess>;

// What Create Queue found. Azure answers 201 for a new queue, 204 when a queue of that name
// already exists with exactly the requested metadata, and 409 QueueAlreadyExists when it exists
// with different metadata; all three mean "the queue exists now", so all three are values.
// (Any other 409, such as QueueBeingDeleted, stays an error Status.) A create whose answer was
// lost and which the pipeline retried reports kAlreadyExists although this call created it.
enum class CreateQueueOutcome {
  kCreated,                      // 201: this call created the queue
  kAlreadyExists,                // 204: it existed, with the same metadata
  kExistsWithDifferentMetadata,  // 409 QueueAlreadyExists: it existed; its metadata was kept
};
const char* CreateQueueOutcomeName(CreateQueueOutcome outcome);

struct QueueItem {
  std::string name;
  QueueMetadata metadata;  // filled only when the listing asked for metadata
};

// One page of List Queues; follow next_marker until it is empty.
struct QueueListPage {
  std::vector<QueueItem> queues;
  std::string next_marker;  // empty on the last page
};

// Get Queue Metadata.
struct QueueProperties {
  // The service's estimate: it may lag behind recent puts and deletes, and it counts invisible
  // and expired-but-not-yet-collected messages too.
  int64_t approximate_message_count = 0;
  QueueMetadata metadata;
};

// Put Message's answer: enough to update or delete the message without receiving it first.
struct EnqueuedMessage {
  std::string message_id;
  std::string pop_receipt;
  storage::Timestamp insertion_time;
  storage::Timestamp expiration_time;
  storage::Timestamp next_visible_time;
};

// A message received by Get Messages. It is invisible to others until next_visible_time; only the
// holder of pop_receipt may update or delete it in that time.
struct ReceivedMessage {
  std::string message_id;
  std::string pop_receipt;
  int64_t dequeue_count = 0;  // how many times it has been received, this time included
  storage::Timestamp insertion_time;
  storage::Timestamp expiration_time;
  storage::Timestamp next_visible_time;
  std::string content;  // the bytes that were put
  // True when the service's text was not canonical Base64, i.e. the message was not written by a
  // fanfold client: content then holds the text verbatim, so the caller can still inspect it and
  // delete it instead of receiving an unreadable message forever.
  bool content_is_raw = false;
};

// A message seen by Peek Messages: visible to everyone, so there is no pop receipt.
struct PeekedMessage {
  std::string message_id;
  int64_t dequeue_count = 0;
  storage::Timestamp insertion_time;
  storage::Timestamp expiration_time;
  std::string content;
  bool content_is_raw = false;  // as in ReceivedMessage
};

// Update Message's answer: the old pop receipt is dead, use this one from now on.
struct UpdateReceipt {
  std::string pop_receipt;
  storage::Timestamp next_visible_time;
};

}  // namespace fanfold::queuestore
