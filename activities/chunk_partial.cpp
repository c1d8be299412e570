#include "activities/chunk_partial.hpp"

#include <algorithm>
#include <iterator>
#include <string>

namespace fanfold::activities {

std::int64_t ChunkPartial::rejected_rows() const {
  std::int64_t total = 0;
  for (const RejectTally& tally : rejects)
    total += tally.count;
  return total;
}

bool SameTotals(const ChunkPartial& a, const ChunkPartial& b) {
  ChunkPartial b_with_a_bytes = b;
  b_with_a_bytes.bytes_read = a.bytes_read;
  return a == b_with_a_bytes;
}

storage::Status MergeInto(ChunkPartial& into, const ChunkPartial& from, std::size_t max_samples) {
  if (into.format != InputFormat::kAuto && from.format != InputFormat::kAuto &&
      into.format != from.format) {
    return storage::Status::InvalidArgument("cannot merge partials read as different formats (" +
                                            std::string(InputFormatName(into.format)) + " and " +
                                            std::string(InputFormatName(from.format)) + ")");
  }
  if (into.format == InputFormat::kAuto) into.format = from.format;
  into.header_skipped = into.header_skipped || from.header_skipped;
  into.rows += from.rows;
  into.empty_lines += from.empty_lines;
  into.bytes_read += from.bytes_read;
  for (const auto& [key, totals] : from.nations) {
    NationTotals& target = into.nations[key];
    target.sum_cents += totals.sum_cents;
    target.rows += totals.rows;
  }
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) {
    RejectTally& target = into.rejects[i];
    const RejectTally& source = from.rejects[i];
    target.count += source.count;
    if (source.first_offsets.empty()) continue;
    std::vector<std::uint64_t> merged;
    merged.reserve(target.first_offsets.size() + source.first_offsets.size());
    std::merge(target.first_offsets.begin(), target.first_offsets.end(),
               source.first_offsets.begin(), source.first_offsets.end(),
               std::back_inserter(merged));
    if (merged.size() > max_samples) merged.resize(max_samples);
    target.first_offsets = std::move(merged);
  }
  return storage::Status::Ok();
}

storage::Result<ChunkPartial> MergePartials(const std::vector<ChunkPartial>& partials,
                                            std::size_t max_samples) {
  ChunkPartial total;
  for (const ChunkPartial& partial : partials) {
    FANFOLD_RETURN_IF_ERROR(MergeInto(total, partial, max_samples));
  }
  return total;
}

}  // namespace fanfold::activities
