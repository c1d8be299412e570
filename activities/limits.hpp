// Defaults and hard limits shared by the mean-balance job's planning, parsing and merging.
// They live together because they must agree: the read window of a chunk is sized from the
// same maximum line length that the parser enforces, and merge keeps as many reject samples as
// each chunk recorded.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fanfold::activities {

// Longest line accepted, in bytes before the '\n' (a '\r' counts). A chunk reads this many bytes
// past its end to finish its last line, so it is also the default look-ahead of a ranged read.
// TPC-H customer lines are under 250 bytes; 64 KiB leaves room for CSV with long text columns.
inline constexpr std::size_t kDefaultMaxLineBytes = 64 * 1024;

// Upper bound on a configured max line length: the carry buffer may grow this large.
inline constexpr std::size_t kMaxMaxLineBytes = 16 * 1024 * 1024;

// How many absolute line offsets are kept per reject reason (the smallest ones).
inline constexpr std::size_t kDefaultRejectSamples = 5;

// Nation keys are counted in a dense array sized by the configured key range; this caps it.
inline constexpr std::int32_t kMaxNationKeySpan = 65536;

// A job has at most this many chunks: the widest fan-out tested end to end in both pipelines
// (docs/architecture.md, "No fan-out cliff"). Past it, a job's history, its plan and the chained
// merge's hold all grow with the width, and no test says they still work, so a wider job is
// refused at upload and by the trigger with this limit named. More parallelism comes from more
// workers, not more chunks: 10,000 chunks of a 1 GB file are 100 KB each.
inline constexpr std::uint32_t kMaxChunks = 10000;

}  // namespace fanfold::activities
