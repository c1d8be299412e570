// Helpers for the activities tests: run a chunk or a whole plan with controllable piece sizes,
// and an independent reference computation (std::string splitting, std::stoll) to check against.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "activities/chunk_aggregator.hpp"
#include "activities/chunk_partial.hpp"
#include "activities/chunk_partial_json.hpp"

namespace fanfold::activities {

// gtest prints failed comparisons of partials as their JSON.
inline void PrintTo(const ChunkPartial& partial, std::ostream* out) {
  *out << ChunkPartialToJson(partial);
}

namespace testing_util {

// Returns the size of the next piece to feed, given how many bytes remain (always >= 1).
using PieceSizer = std::function<std::size_t(std::size_t remaining)>;

inline PieceSizer WholePieces() {
  return [](std::size_t remaining) { return remaining; };
}

inline PieceSizer FixedPieces(std::size_t size) {
  return [size](std::size_t remaining) { return std::min(size, remaining); };
}

// Mostly small pieces (1..17 bytes, to split lines everywhere) and some large ones.
inline PieceSizer RandomPieces(std::mt19937_64& rng) {
  return [&rng](std::size_t remaining) {
    const std::size_t size = rng() % 4 == 0 ? 1 + rng() % 4096 : 1 + rng() % 17;
    return std::min(size, remaining);
  };
}

// Feeds the chunk's read window in pieces, stopping as soon as the aggregator is done (as a
// ranged download would), and returns the partial. Fails the test on any error.
inline ChunkPartial RunChunk(std::string_view file, const ChunkRange& chunk, InputFormat format,
                             const AggregateOptions& options, const PieceSizer& pieces) {
  auto aggregator = ChunkAggregator::Create(chunk, file.size(), format, options);
  EXPECT_TRUE(aggregator.ok()) << aggregator.status().ToString();
  if (!aggregator.ok()) return {};
  const ByteRange window = aggregator->read_window();
  EXPECT_LE(window.end, file.size());
  std::uint64_t offset = window.begin;
  while (offset < window.end && !aggregator->done()) {
    const std::size_t size = pieces(static_cast<std::size_t>(window.end - offset));
    aggregator->Feed(file.data() + offset, size);
    offset += size;
  }
  EXPECT_TRUE(aggregator->done() || window.end == file.size())
      << "not done after its whole window, chunk [" << chunk.begin << "," << chunk.end << ")";
  auto partial = aggregator->Finish();
  EXPECT_TRUE(partial.ok()) << partial.status().ToString();
  return partial.ok() ? *partial : ChunkPartial{};
}

// Runs every chunk and merges the partials (in reverse order, to exercise commutativity). As a
// parallel pipeline would, the format is resolved once from the file's head (the minimum probe
// of max_line_bytes + 1 bytes) and passed to every chunk but chunk 0, which gets `format` as is.
inline ChunkPartial RunChunks(std::string_view file, const std::vector<ChunkRange>& chunks,
                              InputFormat format, const AggregateOptions& options,
                              const PieceSizer& pieces) {
  const InputFormat resolved =
      format != InputFormat::kAuto
          ? format
          : DetectInputFormat(file.substr(0, options.max_line_bytes + 1), options.max_line_bytes);
  std::vector<ChunkPartial> partials;
  for (const ChunkRange& chunk : chunks) {
    partials.push_back(
        RunChunk(file, chunk, chunk.begin == 0 ? format : resolved, options, pieces));
  }
  std::reverse(partials.begin(), partials.end());
  auto merged = MergePartials(partials, options.reject_samples);
  EXPECT_TRUE(merged.ok()) << merged.status().ToString();
  return merged.ok() ? *merged : ChunkPartial{};
}

inline ChunkPartial RunSinglePass(std::string_view file, InputFormat format,
                                  const AggregateOptions& options = {}) {
  return RunChunk(file, ChunkRange{0, 0, file.size()}, format, options, WholePieces());
}

// Chunks [0,c1), [c1,c2), ..., [ck,size) from sorted cut points (duplicates give empty chunks).
inline std::vector<ChunkRange> RangesFromCuts(std::uint64_t size, std::vector<std::uint64_t> cuts) {
  std::sort(cuts.begin(), cuts.end());
  std::vector<ChunkRange> chunks;
  std::uint64_t begin = 0;
  for (const std::uint64_t cut : cuts) {
    chunks.push_back({static_cast<std::uint32_t>(chunks.size()), begin, cut});
    begin = cut;
  }
  chunks.push_back({static_cast<std::uint32_t>(chunks.size()), begin, size});
  return chunks;
}

inline std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string SampleFilePath() {
  return (std::filesystem::path(FANFOLD_SOURCE_DIR) / "tests/data/customer-sample.tbl").string();
}

// Independent reference over well-formed TPC-H text: std::getline splitting and std::stoll on the
// balance with its '.' removed. Shares no code with the module under test.
struct ReferenceNation {
  std::int64_t sum_cents = 0;
  std::int64_t rows = 0;
  friend bool operator==(const ReferenceNation&, const ReferenceNation&) = default;
};

inline std::map<int, ReferenceNation> ReferenceTotals(const std::string& tpch_text) {
  std::map<int, ReferenceNation> totals;
  std::istringstream lines(tpch_text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::istringstream parts(line);
    std::string field;
    while (std::getline(parts, field, '|'))
      fields.push_back(field);
    EXPECT_EQ(fields.size(), 8u) << line;  // getline drops the empty field after the last '|'
    if (fields.size() != 8) continue;
    std::string balance = fields[5];
    const std::size_t dot = balance.find('.');
    EXPECT_EQ(dot, balance.size() - 3) << line;
    balance.erase(dot, 1);
    ReferenceNation& nation = totals[std::stoi(fields[3])];
    nation.sum_cents += std::stoll(balance);
    nation.rows += 1;
  }
  return totals;
}

inline std::map<int, ReferenceNation> AsReference(const ChunkPartial& partial) {
  std::map<int, ReferenceNation> totals;
  for (const auto& [key, nation] : partial.nations) {
    totals[key] = {static_cast<std::int64_t>(nation.sum_cents), nation.rows};
  }
  return totals;
}

// Round half away from zero by a different route than MeanCents: floor division, then compare the
// distances to the two neighbouring integers (all in int64; fine for the magnitudes tested).
inline std::int64_t ReferenceMeanCents(std::int64_t sum, std::int64_t count) {
  std::int64_t floor = sum / count;
  if ((sum % count != 0) && ((sum < 0) != (count < 0))) --floor;
  const std::int64_t below = sum - floor * count;        // distance to floor, times count
  const std::int64_t above = (floor + 1) * count - sum;  // distance to floor+1, times count
  if (below < above) return floor;
  if (above < below) return floor + 1;
  return sum < 0 ? floor : floor + 1;  // a tie: away from zero
}

}  // namespace testing_util
}  // namespace fanfold::activities
