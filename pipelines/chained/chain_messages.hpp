// The chained pipeline's messages, as values, and their JSON. Parsing is strict (unknown fields
// are refused) because every message a stage cannot read is poisoned: a typo must show up there,
// not as a job that silently never finishes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "activities/aggregate_activity.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines::chained {

// chain-chunks: a group of chunks of one job (chunk_groups.hpp decides how many).
// {"job":"...","partials_queue":"...","chunks":N,"max_attempts":3,"inputs":[{AggregateInput}...]}
// The single-chunk form of before the groups, "input":{AggregateInput} instead of "inputs", is
// still read (as a group of one), so messages queued before an upgrade still run.
// "merge_inline":true (absent when false) marks the one message of a job that fits in one: its
// aggregate merges the job itself, and the split made neither a partials queue nor a merge
// message. Should it fail for good, it falls back to them (aggregate_stage.cpp).
struct ChunkMessage {
  std::string job;
  std::string partials_queue;
  std::uint32_t chunks = 0;  // in the job's plan
  int max_attempts = 1;
  std::vector<activities::AggregateInput> inputs;  // at least one; distinct chunks, each < chunks
  bool merge_inline = false;                       // only when inputs hold every chunk of the job
};
std::string ChunkMessageToJson(const ChunkMessage& message);
storage::Result<ChunkMessage> ChunkMessageFromJson(std::string_view text);

// chain-merge: one job's merge. {"job":"...","chunks":N,"partials_queue":"...","messages":M}
// `messages` is how many chunk messages the split put: the partials queue holds at least that
// many messages once every chunk has reported. Absent (0) in a merge message of before the
// groups, whose jobs put one message per chunk: then it is `chunks`.
struct MergeMessage {
  std::string job;
  std::uint32_t chunks = 0;
  std::string partials_queue;
  std::uint32_t messages = 0;
  std::uint32_t ExpectedMessages() const { return messages == 0 ? chunks : messages; }
};
std::string MergeMessageToJson(const MergeMessage& message);
storage::Result<MergeMessage> MergeMessageFromJson(std::string_view text);

// The partials queue: what became of chunks. One entry per chunk:
//   {"kind":"partial","chunk":i,"output":{AggregateOutput}}  the partial itself
//   {"kind":"partial","chunk":i,"blob":"job/chunk-00042.json"}  spilled to a blob
//   {"kind":"failed","chunk":i,"error":"..."}  the chunk used all its attempts
// A message is one entry (the form of before the groups, still read) or a group of them:
//   {"kind":"group","partials":[entry, entry...]}
struct PartialMessage {
  bool failed = false;
  std::uint32_t chunk = 0;
  std::optional<activities::AggregateOutput> output;  // an inline partial
  std::string blob;                                   // a spilled partial
  std::string error;                                  // a failure marker
};
// The inline form of an entry, and the two other forms.
std::string InlinePartialToJson(const activities::AggregateOutput& output);
std::string SpilledPartialToJson(std::uint32_t chunk, const std::string& blob);
std::string FailureMarkerToJson(std::uint32_t chunk, std::string_view error);
// One message of entries made by the three functions above (at least one).
std::string PartialGroupToJson(const std::vector<std::string>& entries);
// Bytes PartialGroupToJson adds around entries of `total_bytes` bytes altogether.
std::size_t PartialGroupBytes(std::size_t entries, std::size_t total_bytes);
// A message's entries, whichever of the two forms it has.
storage::Result<std::vector<PartialMessage>> PartialMessagesFromJson(std::string_view text);
// One entry alone (the single form).
storage::Result<PartialMessage> PartialMessageFromJson(std::string_view text);

// Errors travel in messages and end in the job row: long ones are cut (a storage error can quote
// a whole response body) to at most kMaxErrorChars bytes of valid UTF-8, "..." included.
inline constexpr std::size_t kMaxErrorChars = 1000;
std::string ShortError(std::string_view error);

}  // namespace fanfold::pipelines::chained
