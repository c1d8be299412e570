#include "activities/merge_activity.hpp"

#include <string>

#include "activities/activity_status.hpp"
#include "activities/chunk_partial.hpp"

namespace fanfold::activities {
namespace {

// At most this many indices are spelled out in an error; the count says how many there are.
constexpr std::size_t kListedIndices = 20;

std::string Summary(const ChunkPartial& partial) {
  return "rows " + std::to_string(partial.rows) + ", rejects " +
         std::to_string(partial.rejected_rows()) + ", empty lines " +
         std::to_string(partial.empty_lines) + ", bytes " + std::to_string(partial.bytes_read) +
         ", format " + std::string(InputFormatName(partial.format));
}

storage::Status MissingChunks(const std::vector<const AggregateOutput*>& taken) {
  std::string listed;
  std::size_t missing = 0;
  for (std::size_t i = 0; i < taken.size(); ++i) {
    if (taken[i] != nullptr) continue;
    if (++missing <= kListedIndices) listed += (listed.empty() ? "" : ", ") + std::to_string(i);
  }
  if (missing > kListedIndices) listed += ", ...";
  return storage::Status::InvalidArgument(
      "cannot merge: " + std::to_string(missing) + " of " + std::to_string(taken.size()) +
      " chunks have no partial (chunk " + listed + "): aggregate them before merging");
}

}  // namespace

storage::Result<MergeOutput> MergeChunkPartials(const MergeInput& input) {
  if (input.chunk_count == 0 || input.chunk_count > kMaxChunks) {
    return storage::Status::InvalidArgument("merge chunk count must be between 1 and " +
                                            std::to_string(kMaxChunks));
  }
  MergeOutput output;
  output.chunk_count = input.chunk_count;
  std::vector<const AggregateOutput*> taken(input.chunk_count, nullptr);
  for (const AggregateOutput& candidate : input.partials) {
    if (candidate.chunk_index >= input.chunk_count) {
      return storage::Status::InvalidArgument(
          "cannot merge: a partial is for chunk " + std::to_string(candidate.chunk_index) +
          " but the plan has " + std::to_string(input.chunk_count) + " chunks");
    }
    const AggregateOutput*& slot = taken[candidate.chunk_index];
    if (slot == nullptr) {
      slot = &candidate;
    } else if (SameTotals(slot->partial, candidate.partial)) {
      // bytes_read may differ: how far a chunk reads past a too-long line depends on where the
      // download's pieces happened to end, and that is no part of the answer.
      ++output.duplicates_ignored;
    } else {
      return storage::Status::Corruption(
          "cannot merge: chunk " + std::to_string(candidate.chunk_index) +
          " has two different partials (" + Summary(slot->partial) + " vs " +
          Summary(candidate.partial) + "); one of them is wrong, so aggregate the chunk again");
    }
  }
  for (const AggregateOutput* chunk : taken) {
    if (chunk == nullptr) return MissingChunks(taken);
  }
  // Index order, so that even the error of a format mismatch names the same chunk every time.
  ChunkPartial merged;
  for (std::size_t i = 0; i < taken.size(); ++i) {
    const storage::Status status = MergeInto(merged, taken[i]->partial, input.reject_samples);
    if (!status.ok()) {
      return WithContext(status, "cannot merge chunk " + std::to_string(i) +
                                     " (every chunk of a job must be read in the format "
                                     "partition chose)");
    }
    output.bytes_downloaded += taken[i]->bytes_downloaded;
    output.aggregate_milliseconds += taken[i]->milliseconds;
  }
  output.bytes_read = merged.bytes_read;
  output.result = ComputeMeanBalances(merged);
  return output;
}

}  // namespace fanfold::activities
