// The `partition` step: byte ranges covering a file, planned from its size alone (no data read).
// Ranges are contiguous, in order, non-empty (except the single [0,0) chunk of an empty file, so
// that every job has at least one chunk and a merge to run) and cover [0, file_size) exactly.
// Lines ignore these boundaries: a line belongs to the chunk in which it starts (see
// ChunkAggregator), so ranges can be cut anywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "activities/limits.hpp"
#include "storage/result.hpp"

namespace fanfold::activities {

// Half-open byte range [begin, end).
struct ByteRange {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;

  std::uint64_t size() const { return end - begin; }
  friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

struct ChunkRange {
  std::uint32_t index = 0;  // position in the plan, 0-based
  std::uint64_t begin = 0;  // first byte owned
  std::uint64_t end = 0;    // one past the last byte owned

  std::uint64_t size() const { return end - begin; }
  friend bool operator==(const ChunkRange&, const ChunkRange&) = default;
};

struct ChunkPlan {
  std::uint64_t file_size = 0;
  std::vector<ChunkRange> chunks;

  friend bool operator==(const ChunkPlan&, const ChunkPlan&) = default;
};

// `chunk_count` ranges whose sizes differ by at most one byte (the first file_size % count are one
// byte longer). More chunks than bytes are not useful, so the count is capped at file_size (and
// at least one chunk is planned). InvalidArgument for 0 or more than kMaxChunks chunks.
storage::Result<ChunkPlan> PlanChunks(std::uint64_t file_size, std::uint32_t chunk_count);

// Ranges of `chunk_bytes` each, the last one shorter. InvalidArgument if chunk_bytes is 0 or the
// plan would exceed kMaxChunks chunks.
storage::Result<ChunkPlan> PlanChunksBySize(std::uint64_t file_size, std::uint64_t chunk_bytes);

// Bytes a chunk must read to process exactly its own lines: from one byte before `begin` (that
// byte tells whether a line starts at `begin`) to `max_line_bytes` past `end` (enough to finish a
// line that starts before `end`, or to prove it too long), clipped to the file. Empty for an empty
// chunk. This is what a ranged download of the chunk should request.
ByteRange ReadWindow(const ChunkRange& chunk, std::uint64_t file_size,
                     std::size_t max_line_bytes = kDefaultMaxLineBytes);

// Compact JSON for activity inputs and Jobs table rows: {"i":3,"b":1000,"e":2000} and
// {"size":N,"chunks":[...]}. Parsing validates shape and the invariants above (Corruption).
std::string ChunkRangeToJson(const ChunkRange& chunk);
storage::Result<ChunkRange> ChunkRangeFromJson(std::string_view text);
std::string ChunkPlanToJson(const ChunkPlan& plan);
storage::Result<ChunkPlan> ChunkPlanFromJson(std::string_view text);

}  // namespace fanfold::activities
