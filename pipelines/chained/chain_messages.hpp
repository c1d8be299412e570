// The chained pipeline's messages, as values, and their JSON. Parsing is strict (unknown fields
// are refused) because every message a stage cannot read is poisoned: a typo must show up there,
// not as a job that silently never finishes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "activities/aggregate_activity.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines::chained {

// chain-chunks: one chunk of one job.
// {"job":"...","partials_queue":"...","chunks":N,"max_attempts":3,"input":{AggregateInput}}
struct ChunkMessage {
  std::string job;
  std::string partials_queue;
  std::uint32_t chunks = 0;  // in the job's plan
  int max_attempts = 1;
  activities::AggregateInput input;
};
std::string ChunkMessageToJson(const ChunkMessage& message);
storage::Result<ChunkMessage> ChunkMessageFromJson(std::string_view text);

// chain-merge: one job's merge. {"job":"...","chunks":N,"partials_queue":"..."}
struct MergeMessage {
  std::string job;
  std::uint32_t chunks = 0;
  std::string partials_queue;
};
std::string MergeMessageToJson(const MergeMessage& message);
storage::Result<MergeMessage> MergeMessageFromJson(std::string_view text);

// The partials queue: what became of one chunk.
//   {"kind":"partial","chunk":i,"output":{AggregateOutput}}  the partial itself
//   {"kind":"partial","chunk":i,"blob":"job/chunk-00042.json"}  spilled to a blob
//   {"kind":"failed","chunk":i,"error":"..."}  the chunk used all its attempts
struct PartialMessage {
  bool failed = false;
  std::uint32_t chunk = 0;
  std::optional<activities::AggregateOutput> output;  // an inline partial
  std::string blob;                                   // a spilled partial
  std::string error;                                  // a failure marker
};
// The inline form of a partial, and the two other forms.
std::string InlinePartialToJson(const activities::AggregateOutput& output);
std::string SpilledPartialToJson(std::uint32_t chunk, const std::string& blob);
std::string FailureMarkerToJson(std::uint32_t chunk, std::string_view error);
storage::Result<PartialMessage> PartialMessageFromJson(std::string_view text);

// Errors travel in messages and end in the job row: long ones are cut (a storage error can quote
// a whole response body) to at most kMaxErrorChars bytes of valid UTF-8, "..." included.
inline constexpr std::size_t kMaxErrorChars = 1000;
std::string ShortError(std::string_view error);

}  // namespace fanfold::pipelines::chained
