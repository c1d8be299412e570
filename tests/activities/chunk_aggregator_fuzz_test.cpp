// Property tests on arbitrary bytes: nothing crashes or throws, every line is accounted for exactly
// once, and any chunking fed in any piece sizes gives the single-pass totals.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "activities/chunk_aggregator.hpp"
#include "aggregate_test_util.hpp"

namespace fanfold::activities {
namespace {

using testing_util::RandomPieces;
using testing_util::RangesFromCuts;
using testing_util::RunChunk;
using testing_util::RunChunks;
using testing_util::WholePieces;

// Bytes that matter to the parser are over-represented; NULs and invalid UTF-8 are in the mix.
char RandomByte(std::mt19937_64& rng) {
  static constexpr char kInteresting[] = {
      '\n', '\n', '\n', '|', '|', '|', '|', ',',    ',',    ',',    '"',    '"',    '\r',
      '\0', '.',  '-',  '+', ' ', 'c', '_', '\xFF', '\x80', '\xC3', '\xEF', '\xBB', '\xBF'};
  const std::uint64_t pick = rng() % 100;
  if (pick < 45) return kInteresting[rng() % sizeof(kInteresting)];
  if (pick < 85) return static_cast<char>('0' + rng() % 10);
  return static_cast<char>(rng() % 256);
}

// Valid TPC-H and CSV lines with random damage, so that many lines are rows and many are not.
std::string DamagedLines(std::mt19937_64& rng) {
  static const char* kLines[] = {
      "1|Customer#000000001|IVhzIApeRb ot,c,E|15|25-989-741-2988|711.56|BUILDING|to the even|",
      "2|Customer#000000002|XSTf4,NCwDVaWNe6|13|23-768-687-3665|-121.65|AUTOMOBILE|l accounts|",
      "1,\"Customer, #1\",\"a \"\"b\"\"\",3,p,-0.5,s,c",
      "c_custkey,c_name,c_address,c_nationkey,c_phone,c_acctbal,c_mktsegment,c_comment",
      "k|n|a|24|p|12|s|c|",
      "",
  };
  std::string text;
  const int lines = 1 + static_cast<int>(rng() % 12);
  for (int i = 0; i < lines; ++i) {
    std::string line = kLines[rng() % std::size(kLines)];
    const int damage = static_cast<int>(rng() % 3);
    for (int d = 0; d < damage && !line.empty(); ++d)
      line[rng() % line.size()] = RandomByte(rng);
    text += line;
    text += rng() % 5 == 0 ? "\r\n" : "\n";
  }
  if (rng() % 3 == 0 && !text.empty()) text.pop_back();
  return text;
}

std::int64_t CountLines(const std::string& text) {
  const auto newlines = std::count(text.begin(), text.end(), '\n');
  return newlines + (!text.empty() && text.back() != '\n' ? 1 : 0);
}

void CheckInput(const std::string& text, std::mt19937_64& rng) {
  AggregateOptions options;
  options.max_line_bytes = rng() % 4 == 0 ? kDefaultMaxLineBytes : 1 + rng() % 100;
  options.reject_samples = rng() % 4;
  static constexpr InputFormat kFormats[] = {InputFormat::kAuto, InputFormat::kTpch,
                                             InputFormat::kCsv};
  const InputFormat format = kFormats[rng() % 3];

  const ChunkPartial single = RunChunk(text, {0, 0, text.size()}, format, options, WholePieces());
  ASSERT_EQ(
      single.rows + single.rejected_rows() + single.empty_lines + (single.header_skipped ? 1 : 0),
      CountLines(text));
  std::int64_t nation_rows = 0;
  for (const auto& [key, totals] : single.nations) {
    ASSERT_GE(key, options.nation_keys.min);
    ASSERT_LE(key, options.nation_keys.max);
    nation_rows += totals.rows;
  }
  ASSERT_EQ(nation_rows, single.rows);
  for (const RejectTally& tally : single.rejects) {
    ASSERT_LE(tally.first_offsets.size(), options.reject_samples);
    ASSERT_TRUE(std::is_sorted(tally.first_offsets.begin(), tally.first_offsets.end()));
  }
  if (format == InputFormat::kAuto && !text.empty()) {
    ASSERT_EQ(single.format, DetectInputFormat(text, options.max_line_bytes));
  }
  auto round_trip = ChunkPartialFromJson(ChunkPartialToJson(single));
  ASSERT_TRUE(round_trip.ok()) << round_trip.status().ToString();
  ASSERT_EQ(*round_trip, single);

  for (int plan = 0; plan < 6; ++plan) {
    std::vector<std::uint64_t> cuts;
    const int cut_count = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < cut_count; ++i)
      cuts.push_back(text.empty() ? 0 : rng() % (text.size() + 1));
    const ChunkPartial merged =
        RunChunks(text, RangesFromCuts(text.size(), cuts), format, options, RandomPieces(rng));
    ASSERT_TRUE(SameTotals(merged, single))
        << "merged " << ChunkPartialToJson(merged) << "\nsingle " << ChunkPartialToJson(single);
  }
}

TEST(ChunkAggregatorFuzzTest, RandomBytes) {
  std::mt19937_64 rng(20240601);
  for (int iteration = 0; iteration < 2000; ++iteration) {
    std::string text(rng() % 400, '\0');
    for (char& c : text)
      c = RandomByte(rng);
    SCOPED_TRACE("iteration " + std::to_string(iteration));
    CheckInput(text, rng);
    if (HasFatalFailure()) return;
  }
}

TEST(ChunkAggregatorFuzzTest, UniformlyRandomBytes) {
  std::mt19937_64 rng(77);
  for (int iteration = 0; iteration < 300; ++iteration) {
    std::string text(rng() % 2000, '\0');
    for (char& c : text)
      c = static_cast<char>(rng() % 256);
    SCOPED_TRACE("iteration " + std::to_string(iteration));
    CheckInput(text, rng);
    if (HasFatalFailure()) return;
  }
}

TEST(ChunkAggregatorFuzzTest, DamagedValidLines) {
  std::mt19937_64 rng(4242);
  std::int64_t rows = 0;
  std::int64_t rejects = 0;
  for (int iteration = 0; iteration < 2000; ++iteration) {
    const std::string text = DamagedLines(rng);
    SCOPED_TRACE("iteration " + std::to_string(iteration));
    CheckInput(text, rng);
    if (HasFatalFailure()) return;
    const ChunkPartial single =
        RunChunk(text, {0, 0, text.size()}, InputFormat::kAuto, {}, WholePieces());
    rows += single.rows;
    rejects += single.rejected_rows();
  }
  // The mix really exercises both outcomes.
  EXPECT_GT(rows, 1500);
  EXPECT_GT(rejects, 1500);
}

}  // namespace
}  // namespace fanfold::activities
