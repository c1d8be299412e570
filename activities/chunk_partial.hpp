// ChunkPartial: what `aggregate` produces for one chunk and what `merge` adds up. Partials form a
// commutative monoid under MergeInto (every field is a sum, an OR, or "the smallest N offsets"),
// so any grouping or order of merging gives the same exact totals as a single pass over the file.
// Sums are exact integer cents; no floating point is involved anywhere.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "activities/cents.hpp"
#include "activities/input_format.hpp"
#include "activities/limits.hpp"
#include "activities/reject_reason.hpp"
#include "storage/result.hpp"

namespace fanfold::activities {

struct NationTotals {
  CentsSum sum_cents = 0;
  std::int64_t rows = 0;

  friend bool operator==(const NationTotals&, const NationTotals&) = default;
};

struct RejectTally {
  std::int64_t count = 0;
  // Absolute byte offsets of the rejected lines' first bytes, ascending: the smallest few (at
  // most the sample limit), which after merging are the first few of the whole file.
  std::vector<std::uint64_t> first_offsets;

  friend bool operator==(const RejectTally&, const RejectTally&) = default;
};

struct ChunkPartial {
  // The format the lines were read as. kAuto only when no line was read by an aggregator that
  // was itself asked to detect (chunk 0 of an empty file): it merges with anything.
  InputFormat format = InputFormat::kAuto;
  // The file's first line was a header (only chunk 0 can see it); neither a row nor a reject.
  bool header_skipped = false;
  std::int64_t rows = 0;         // accepted rows
  std::int64_t empty_lines = 0;  // "" or "\r" lines: skipped, neither rows nor rejects
  std::map<std::int32_t, NationTotals> nations;         // only nations with at least one row
  std::array<RejectTally, kRejectReasonCount> rejects;  // indexed by RejectReasonIndex
  // Bytes the aggregator consumed, including the byte before the chunk and the read-ahead that
  // finished its last line: a cost measure, so it is summed but not part of the exact result.
  std::uint64_t bytes_read = 0;

  std::int64_t rejected_rows() const;
  RejectTally& reject(RejectReason reason) { return rejects[RejectReasonIndex(reason)]; }
  const RejectTally& reject(RejectReason reason) const {
    return rejects[RejectReasonIndex(reason)];
  }

  friend bool operator==(const ChunkPartial&, const ChunkPartial&) = default;
};

// True when the two partials agree on everything except bytes_read: what "merging the chunks
// gives the single-pass result" means.
bool SameTotals(const ChunkPartial& a, const ChunkPartial& b);

// Adds `from` into `into`, keeping the `max_samples` smallest offsets per reason (use the same
// limit the aggregators used). InvalidArgument, with `into` unchanged, when the two were read as
// different formats: every chunk of a file must be read the same way.
storage::Status MergeInto(ChunkPartial& into, const ChunkPartial& from,
                          std::size_t max_samples = kDefaultRejectSamples);

// Folds all partials, in any order; the empty list gives an empty partial.
storage::Result<ChunkPartial> MergePartials(const std::vector<ChunkPartial>& partials,
                                            std::size_t max_samples = kDefaultRejectSamples);

}  // namespace fanfold::activities
