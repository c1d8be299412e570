// The job's data path on real TPC-H rows (tests/data/customer-sample.tbl, see its README): every
// chunking and every way of feeding gives the single-pass result, CSV renderings of the same rows
// give the same totals, and an independent reference computation and golden values agree.
#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "activities/chunk_aggregator.hpp"
#include "activities/mean_balance.hpp"
#include "aggregate_test_util.hpp"

namespace fanfold::activities {
namespace {

using testing_util::AsReference;
using testing_util::FixedPieces;
using testing_util::RandomPieces;
using testing_util::RangesFromCuts;
using testing_util::ReferenceMeanCents;
using testing_util::ReferenceTotals;
using testing_util::RunChunks;
using testing_util::RunSinglePass;
using testing_util::WholePieces;

const std::string& Sample() {
  static const std::string sample = testing_util::ReadFileOrDie(testing_util::SampleFilePath());
  return sample;
}

std::vector<std::string> SampleLines() {
  std::vector<std::string> lines;
  std::istringstream in(Sample());
  std::string line;
  while (std::getline(in, line))
    lines.push_back(line);
  return lines;
}

// The eight fields of a TPC-H line (without the empty one after the trailing '|').
std::vector<std::string> TpchFields(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t begin = 0;
  for (std::size_t bar = line.find('|'); bar != std::string::npos; bar = line.find('|', begin)) {
    fields.push_back(line.substr(begin, bar - begin));
    begin = bar + 1;
  }
  return fields;
}

std::string CsvField(const std::string& value, bool always_quote) {
  if (!always_quote && value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (const char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

struct CsvStyle {
  bool header = false;
  bool crlf = false;
  bool always_quote = false;
  bool final_newline = true;
  bool quotes_in_comments = false;  // comments gain a '"' (so they are quoted with "")
};

std::string ToCsv(const CsvStyle& style) {
  const char* newline = style.crlf ? "\r\n" : "\n";
  std::string csv;
  if (style.header) {
    csv += "c_custkey,c_name,c_address,c_nationkey,c_phone,c_acctbal,c_mktsegment,c_comment";
    csv += newline;
  }
  for (const std::string& line : SampleLines()) {
    std::vector<std::string> fields = TpchFields(line);
    if (style.quotes_in_comments) fields[7] = "she said \"" + fields[7] + "\", twice\"";
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) csv += ',';
      csv += CsvField(fields[i], style.always_quote);
    }
    csv += newline;
  }
  if (!style.final_newline) csv.resize(csv.size() - std::string(newline).size());
  return csv;
}

// The single-pass result, checked against the reference computed from the text.
ChunkPartial CheckedSinglePass() {
  const ChunkPartial single = RunSinglePass(Sample(), InputFormat::kAuto);
  EXPECT_EQ(single.format, InputFormat::kTpch);
  EXPECT_EQ(single.rows, 3000);
  EXPECT_EQ(single.rejected_rows(), 0);
  EXPECT_EQ(single.empty_lines, 0);
  EXPECT_FALSE(single.header_skipped);
  EXPECT_EQ(single.nations.size(), 25u);
  return single;
}

TEST(SampleDataTest, SinglePassAgreesWithReferenceAndGoldenValues) {
  const ChunkPartial single = CheckedSinglePass();
  EXPECT_EQ(AsReference(single), ReferenceTotals(Sample()));
  const MeanBalanceResult result = ComputeMeanBalances(single);
  ASSERT_EQ(result.nations.size(), 25u);
  for (const NationMean& nation : result.nations) {
    EXPECT_EQ(nation.mean_cents,
              ReferenceMeanCents(static_cast<std::int64_t>(nation.sum_cents), nation.rows));
  }
  // Golden values computed outside C++ (Python fractions, round half away from zero).
  EXPECT_EQ(result.nations[0].rows, 105);
  EXPECT_TRUE(result.nations[0].sum_cents == 49167148);
  EXPECT_EQ(result.nations[0].mean(), "4682.59");
  EXPECT_EQ(result.nations[15].rows, 105);
  EXPECT_TRUE(result.nations[15].sum_cents == 41322393);
  EXPECT_EQ(result.nations[15].mean(), "3935.47");
  EXPECT_EQ(result.nations[24].rows, 125);
  EXPECT_TRUE(result.nations[24].sum_cents == 50000220);
  EXPECT_EQ(result.nations[24].mean(), "4000.02");
}

TEST(SampleDataTest, EveryEvenChunkingMergesToTheSinglePass) {
  const ChunkPartial single = CheckedSinglePass();
  AggregateOptions tight;
  tight.max_line_bytes = 256;  // just above the longest line: windows barely past each end
  for (std::uint32_t count = 1; count <= 64; ++count) {
    auto plan = PlanChunks(Sample().size(), count);
    ASSERT_TRUE(plan.ok());
    const ChunkPartial whole =
        RunChunks(Sample(), plan->chunks, InputFormat::kAuto, {}, WholePieces());
    EXPECT_TRUE(SameTotals(whole, single)) << count << " chunks";
    // Each chunk reads its own bytes, at most one before, and at most one line (< 223 bytes)
    // after: the cost of cutting anywhere.
    EXPECT_GE(whole.bytes_read, Sample().size());
    EXPECT_LE(whole.bytes_read, Sample().size() + count * 224);
    const ChunkPartial merged =
        RunChunks(Sample(), plan->chunks, InputFormat::kAuto, tight, WholePieces());
    EXPECT_TRUE(SameTotals(merged, single)) << count << " chunks, tight windows";
  }
}

TEST(SampleDataTest, RandomBoundariesFedInRandomPieces) {
  const ChunkPartial single = CheckedSinglePass();
  std::vector<std::uint64_t> line_starts = {0};
  for (std::size_t i = 0; i + 1 < Sample().size(); ++i) {
    if (Sample()[i] == '\n') line_starts.push_back(i + 1);
  }
  std::mt19937_64 rng(1234);
  for (int set = 0; set < 200; ++set) {
    std::vector<std::uint64_t> cuts;
    const int cut_count = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < cut_count; ++i) {
      // Half the cuts land on or next to a line start, where off-by-one errors live.
      if (rng() % 2 == 0) {
        const std::uint64_t start = line_starts[rng() % line_starts.size()];
        const std::uint64_t shifted = start + (rng() % 3) - 1;
        cuts.push_back(std::min<std::uint64_t>(shifted, Sample().size()));
      } else {
        cuts.push_back(rng() % (Sample().size() + 1));
      }
    }
    AggregateOptions options;
    if (rng() % 2 == 0) options.max_line_bytes = 223 + rng() % 100;
    const ChunkPartial merged = RunChunks(Sample(), RangesFromCuts(Sample().size(), cuts),
                                          InputFormat::kAuto, options, RandomPieces(rng));
    ASSERT_TRUE(SameTotals(merged, single)) << "set " << set;
  }
}

TEST(SampleDataTest, OneBytePieces) {
  const ChunkPartial single = CheckedSinglePass();
  for (const std::uint32_t count : {1u, 5u, 64u}) {
    auto plan = PlanChunks(Sample().size(), count);
    ASSERT_TRUE(plan.ok());
    EXPECT_TRUE(SameTotals(
        RunChunks(Sample(), plan->chunks, InputFormat::kTpch, {}, FixedPieces(1)), single))
        << count << " chunks";
  }
}

TEST(SampleDataTest, CsvRenderingsGiveTheSameTotals) {
  const ChunkPartial tpch = CheckedSinglePass();
  const std::vector<CsvStyle> styles = {
      {.header = true},
      {.crlf = true, .always_quote = true},
      {.header = true, .crlf = true, .final_newline = false},
      {.final_newline = false, .quotes_in_comments = true},
      {.header = true, .crlf = true, .always_quote = true, .quotes_in_comments = true},
  };
  std::mt19937_64 rng(99);
  for (std::size_t s = 0; s < styles.size(); ++s) {
    SCOPED_TRACE("style " + std::to_string(s));
    const std::string csv = ToCsv(styles[s]);
    const ChunkPartial single = RunSinglePass(csv, InputFormat::kAuto);
    EXPECT_EQ(single.format, InputFormat::kCsv);
    EXPECT_EQ(single.header_skipped, styles[s].header);
    EXPECT_EQ(single.rows, 3000);
    EXPECT_EQ(single.rejected_rows(), 0) << ChunkPartialToJson(single);
    EXPECT_EQ(single.empty_lines, 0);
    EXPECT_EQ(single.nations, tpch.nations);
    // Explicitly naming the format changes nothing.
    EXPECT_TRUE(SameTotals(RunSinglePass(csv, InputFormat::kCsv), single));
    for (const std::uint32_t count : {2u, 7u, 33u}) {
      auto plan = PlanChunks(csv.size(), count);
      ASSERT_TRUE(plan.ok());
      EXPECT_TRUE(SameTotals(
          RunChunks(csv, plan->chunks, InputFormat::kAuto, {}, RandomPieces(rng)), single));
    }
    for (int set = 0; set < 20; ++set) {
      std::vector<std::uint64_t> cuts;
      for (int i = 0; i < 10; ++i)
        cuts.push_back(rng() % (csv.size() + 1));
      ASSERT_TRUE(SameTotals(RunChunks(csv, RangesFromCuts(csv.size(), cuts), InputFormat::kAuto,
                                       {}, RandomPieces(rng)),
                             single));
    }
  }
}

TEST(SampleDataTest, QuotedLineBreaksAreRejectedNotMisread) {
  // Every 500th record gets a line break inside its quoted comment. Each such record becomes two
  // physical lines: the first ends inside quotes, the second has a stray closing quote.
  const std::vector<std::string> lines = SampleLines();
  std::string csv;
  std::string kept_tpch;  // the records that should still be counted, for the reference
  std::vector<std::uint64_t> broken_offsets;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::vector<std::string> fields = TpchFields(lines[i]);
    const bool broken = i % 500 == 250;
    if (broken) {
      broken_offsets.push_back(csv.size());
      fields[7] = "first half,\nsecond half";
    } else {
      kept_tpch += lines[i] + "\n";
    }
    for (std::size_t f = 0; f < fields.size(); ++f) {
      if (f > 0) csv += ',';
      csv += CsvField(fields[f], /*always_quote=*/false);
    }
    csv += '\n';
  }
  ASSERT_EQ(broken_offsets.size(), 6u);
  const ChunkPartial single = RunSinglePass(csv, InputFormat::kAuto);
  EXPECT_EQ(single.rows, 2994);
  EXPECT_EQ(single.reject(RejectReason::kQuotedLineBreak).count, 6);
  EXPECT_EQ(single.reject(RejectReason::kQuotedLineBreak).first_offsets,
            std::vector<std::uint64_t>(broken_offsets.begin(), broken_offsets.begin() + 5));
  EXPECT_EQ(single.reject(RejectReason::kBadQuoting).count, 6);
  EXPECT_EQ(single.rejected_rows(), 12);
  EXPECT_EQ(AsReference(single), ReferenceTotals(kept_tpch));
  std::mt19937_64 rng(5);
  for (const std::uint32_t count : {3u, 16u, 64u}) {
    auto plan = PlanChunks(csv.size(), count);
    ASSERT_TRUE(plan.ok());
    EXPECT_TRUE(SameTotals(RunChunks(csv, plan->chunks, InputFormat::kAuto, {}, RandomPieces(rng)),
                           single));
  }
}

}  // namespace
}  // namespace fanfold::activities
