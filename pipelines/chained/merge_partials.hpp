// What one merger holds of a job's partials queue: every message it could receive, its entries
// keyed by chunk (a message holds one chunk's entry or a group's). Delivery is at least once, so
// a chunk may be there several times (identical partials, or failure markers, in one message or
// several) and another merger may hold some chunks right now; this class only receives, sorts
// and hands back, and the merge stage decides from what it holds.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "activities/aggregate_activity.hpp"
#include "pipelines/chained/chain_messages.hpp"
#include "queuestore/queue_client.hpp"
#include "storage/blob/blob_container_client.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines::chained {

struct HeldMessage {
  std::string message_id;
  std::string pop_receipt;
};
// One entry of a held message.
struct HeldPartial {
  std::size_t message = 0;  // index into the held messages
  PartialMessage partial;
};

class PartialsInHand {
 public:
  // Receives every visible message (32 a call, each hidden from other mergers for `hold`) until
  // none is left. A message that is no partial of a chunk below `chunks` can never count: it goes
  // to `poison` (with the reason) instead. On an error, what was received is handed back first.
  static storage::Result<PartialsInHand> Receive(const queuestore::QueueClient& partials,
                                                 const queuestore::QueueClient& poison,
                                                 std::uint32_t chunks, std::chrono::seconds hold);

  // Every chunk has a partial or a failure marker.
  bool AllAccounted() const;
  // Chunks with a failure marker and no partial, ascending.
  std::vector<std::uint32_t> FailedChunks() const;
  // "chunk 2: <error>; chunk 5: <error>", one error per failed chunk.
  std::string FailureText() const;
  // Whether some partial held was spilled to a blob.
  bool AnySpilled() const;
  // Every partial held (one per success message; a spilled one downloaded once per blob).
  storage::Result<std::vector<activities::AggregateOutput>> Outputs(
      const storage::BlobContainerClient& spill) const;

  // Makes visible again the messages that hold what must stay in the queue: one partial per chunk
  // and, unless `drop_failure_markers`, one failure marker per chunk that has no partial. A message
  // holding none of those (only duplicates, or markers a partial outdates) is deleted. Returns the
  // first error; keeps going past it.
  storage::Status GiveBack(bool drop_failure_markers) const;

 private:
  PartialsInHand(queuestore::QueueClient partials, std::uint32_t chunks)
      : partials_(std::move(partials)), chunks_(chunks) {}

  queuestore::QueueClient partials_;
  std::uint32_t chunks_;
  std::vector<HeldMessage> messages_;
  std::map<std::uint32_t, std::vector<HeldPartial>> successes_;
  std::map<std::uint32_t, std::vector<HeldPartial>> failures_;
};

}  // namespace fanfold::pipelines::chained
