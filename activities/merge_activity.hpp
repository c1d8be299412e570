// The `merge` activity: adds up the chunks' partials into the job's answer. Delivery is
// at-least-once (a queue message or an activity can run twice), so the input may hold a chunk
// more than once and in any order; the merge takes each chunk index exactly once and refuses to
// answer until every chunk of the plan is present, so the result is exact and idempotent: the
// same for every order and every number of redeliveries, and equal to a single pass over the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "activities/aggregate_activity.hpp"
#include "activities/limits.hpp"
#include "activities/mean_balance.hpp"
#include "storage/result.hpp"

namespace fanfold::activities {

struct MergeInput {
  // Chunks in the plan (PartitionOutput::plan.chunks.size()), 1..kMaxChunks: indices
  // 0..chunk_count-1 must all be present.
  std::uint32_t chunk_count = 0;
  // Any order; a chunk index may appear more than once.
  std::vector<AggregateOutput> partials;
  // Reject offsets kept per reason; the aggregates' AggregateOptions::reject_samples. Default 5.
  std::size_t reject_samples = kDefaultRejectSamples;
};

struct MergeOutput {
  MeanBalanceResult result;  // per-nation rows, exact sums and means; totals; rejects
  std::uint32_t chunk_count = 0;
  std::uint32_t duplicates_ignored = 0;  // redelivered partials with the totals of one taken
  // Sums over the chunks taken (one per index): bytes the aggregators consumed, bytes that came
  // from storage, and the aggregates' wall time (a cost measure, not elapsed time: they overlap).
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_downloaded = 0;
  double aggregate_milliseconds = 0;
  // result depends only on the file and the plan; bytes_read, bytes_downloaded and
  // aggregate_milliseconds also on which delivery of a redelivered chunk came first (bytes_read
  // past a line longer than max_line_bytes depends on the download's piece boundaries).

  friend bool operator==(const MergeOutput&, const MergeOutput&) = default;
};

// Fails with: InvalidArgument for a chunk_count out of range or a partial whose index is not in
// the plan; Corruption naming the chunk when one index has two partials with different totals
// (SameTotals: the timing fields and bytes_read may differ, the totals may not: a chunk read twice
// from one version totals the same);
// InvalidArgument listing the missing indices when some chunk has no partial; InvalidArgument
// when partials were read as different formats.
storage::Result<MergeOutput> MergeChunkPartials(const MergeInput& input);

// JSON:
//   input:  {"chunks":16,"reject_samples":5,"partials":[...AggregateOutputToJsonValue]}
//   output: {"chunks":16,"duplicates":0,"bytes_read":24347189,"bytes_downloaded":24410112,
//            "aggregate_ms":812.5,"result":{...MeanBalanceResultToJsonValue}}
nlohmann::json MergeInputToJsonValue(const MergeInput& input);
std::string MergeInputToJson(const MergeInput& input);
storage::Result<MergeInput> MergeInputFromJsonValue(const nlohmann::json& json);
storage::Result<MergeInput> MergeInputFromJson(std::string_view text);

nlohmann::json MergeOutputToJsonValue(const MergeOutput& output);
std::string MergeOutputToJson(const MergeOutput& output);
storage::Result<MergeOutput> MergeOutputFromJsonValue(const nlohmann::json& json);
storage::Result<MergeOutput> MergeOutputFromJson(std::string_view text);

}  // namespace fanfold::activities
