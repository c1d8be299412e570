#include "activities/chunk_partial.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

#include "activities/chunk_partial_json.hpp"
#include "activities/mean_balance.hpp"
#include "aggregate_test_util.hpp"

namespace fanfold::activities {
namespace {

constexpr std::int64_t kLargestCents = std::numeric_limits<std::int64_t>::max();

ChunkPartial MakePartial(InputFormat format,
                         std::initializer_list<std::pair<int, std::int64_t>> rows) {
  ChunkPartial partial;
  partial.format = format;
  for (const auto& [key, cents] : rows) {
    partial.nations[key].sum_cents += cents;
    partial.nations[key].rows += 1;
    partial.rows += 1;
  }
  return partial;
}

ChunkPartial RandomPartial(std::mt19937_64& rng, std::uint64_t offset_base) {
  ChunkPartial partial;
  partial.format = rng() % 3 == 0 ? InputFormat::kAuto : InputFormat::kTpch;
  partial.header_skipped = rng() % 7 == 0;
  partial.empty_lines = static_cast<std::int64_t>(rng() % 3);
  partial.bytes_read = rng() % 1000;
  const int rows = static_cast<int>(rng() % 20);
  for (int i = 0; i < rows; ++i) {
    NationTotals& nation = partial.nations[static_cast<int>(rng() % 25)];
    nation.sum_cents += static_cast<std::int64_t>(rng() % 2000000) - 1000000;
    nation.rows += 1;
    partial.rows += 1;
  }
  for (RejectTally& tally : partial.rejects) {
    const int count = static_cast<int>(rng() % 4);
    tally.count = count;
    for (int i = 0; i < count; ++i)
      tally.first_offsets.push_back(offset_base + i * 10 + rng() % 10);
  }
  return partial;
}

TEST(MergeTest, AddsSumsRowsAndCounters) {
  ChunkPartial a = MakePartial(InputFormat::kTpch, {{1, 100}, {1, -250}, {3, 7}});
  a.empty_lines = 2;
  a.bytes_read = 50;
  a.reject(RejectReason::kFieldCount) = {2, {10, 40}};
  ChunkPartial b = MakePartial(InputFormat::kTpch, {{1, 1}, {24, 99}});
  b.header_skipped = true;
  b.bytes_read = 70;
  b.reject(RejectReason::kFieldCount) = {1, {20}};
  b.reject(RejectReason::kBalanceInvalid) = {1, {30}};
  ASSERT_TRUE(MergeInto(a, b).ok());
  EXPECT_EQ(a.rows, 5);
  EXPECT_EQ(a.nations.size(), 3u);
  EXPECT_TRUE(a.nations.at(1).sum_cents == -149);
  EXPECT_EQ(a.nations.at(1).rows, 3);
  EXPECT_TRUE(a.nations.at(24).sum_cents == 99);
  EXPECT_TRUE(a.header_skipped);
  EXPECT_EQ(a.empty_lines, 2);
  EXPECT_EQ(a.bytes_read, 120u);
  EXPECT_EQ(a.reject(RejectReason::kFieldCount), (RejectTally{3, {10, 20, 40}}));
  EXPECT_EQ(a.reject(RejectReason::kBalanceInvalid), (RejectTally{1, {30}}));
  EXPECT_EQ(a.rejected_rows(), 4);
}

TEST(MergeTest, KeepsTheSmallestSampleOffsets) {
  ChunkPartial a;
  a.reject(RejectReason::kFieldCount) = {10, {5, 15, 25, 35, 45}};
  ChunkPartial b;
  b.reject(RejectReason::kFieldCount) = {3, {1, 20, 50}};
  ASSERT_TRUE(MergeInto(a, b, 5).ok());
  EXPECT_EQ(a.reject(RejectReason::kFieldCount), (RejectTally{13, {1, 5, 15, 20, 25}}));
}

TEST(MergeTest, DifferentFormatsDoNotMergeAndAutoIsNeutral) {
  ChunkPartial tpch = MakePartial(InputFormat::kTpch, {{1, 100}});
  const ChunkPartial before = tpch;
  const ChunkPartial csv = MakePartial(InputFormat::kCsv, {{1, 100}});
  const storage::Status status = MergeInto(tpch, csv);
  EXPECT_TRUE(status.IsInvalidArgument());
  EXPECT_EQ(tpch, before);

  ChunkPartial undetermined;  // chunk 0 of an empty file
  ASSERT_TRUE(MergeInto(undetermined, csv).ok());
  EXPECT_EQ(undetermined.format, InputFormat::kCsv);
  ASSERT_TRUE(MergeInto(undetermined, ChunkPartial{}).ok());
  EXPECT_EQ(undetermined.format, InputFormat::kCsv);
  EXPECT_FALSE(MergePartials({tpch, csv}).ok());
  auto empty = MergePartials({});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, ChunkPartial{});
}

TEST(MergeTest, OrderAndGroupingDoNotMatter) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::vector<ChunkPartial> partials;
    for (int i = 0; i < 8; ++i)
      partials.push_back(RandomPartial(rng, 1000u * i));
    auto forward = MergePartials(partials);
    ASSERT_TRUE(forward.ok());
    std::shuffle(partials.begin(), partials.end(), rng);
    auto shuffled = MergePartials(partials);
    ASSERT_TRUE(shuffled.ok());
    EXPECT_EQ(*forward, *shuffled);
    // ((p0+p1)+(p2+p3)) + ((p4+p5)+(p6+p7))
    std::vector<ChunkPartial> level = partials;
    while (level.size() > 1) {
      std::vector<ChunkPartial> next;
      for (std::size_t i = 0; i < level.size(); i += 2) {
        ChunkPartial pair = level[i];
        ASSERT_TRUE(MergeInto(pair, level[i + 1]).ok());
        next.push_back(pair);
      }
      level = next;
    }
    EXPECT_EQ(level[0], *forward);
  }
}

TEST(MergeTest, SumsBeyondInt64StayExact) {
  ChunkPartial a = MakePartial(InputFormat::kTpch, {{0, kLargestCents}, {0, kLargestCents}});
  const ChunkPartial b = MakePartial(InputFormat::kTpch, {{0, kLargestCents}, {0, -5}});
  ASSERT_TRUE(MergeInto(a, b).ok());
  EXPECT_TRUE(a.nations.at(0).sum_cents == CentsSum{kLargestCents} * 3 - 5);
  const MeanBalanceResult result = ComputeMeanBalances(a);
  ASSERT_EQ(result.nations.size(), 1u);
  // (3 max - 5) / 4 = 0.75 max - 1.25, and max = 4k + 3: 3k + 2.25 - 1.25 = 3k + 1.
  EXPECT_EQ(result.nations[0].mean_cents, (kLargestCents / 4) * 3 + 1);
}

TEST(ChunkPartialJsonTest, CompactFormat) {
  ChunkPartial partial = MakePartial(InputFormat::kCsv, {{3, 150}, {3, -20}, {24, 5}});
  partial.header_skipped = true;
  partial.empty_lines = 1;
  partial.bytes_read = 4096;
  partial.reject(RejectReason::kQuotedLineBreak) = {7, {100, 200}};
  EXPECT_EQ(
      ChunkPartialToJson(partial),
      R"({"bytes":4096,"empty":1,"format":"csv","header":true,"nations":[[3,130,2],[24,5,1]],)"
      R"("rejects":{"quoted_line_break":{"at":[100,200],"n":7}},"rows":3,"v":1})");
  EXPECT_EQ(ChunkPartialToJson(ChunkPartial{}),
            R"({"bytes":0,"empty":0,"format":"auto","header":false,"nations":[],"rejects":{},)"
            R"("rows":0,"v":1})");
}

TEST(ChunkPartialJsonTest, RoundTripsIncludingHugeSums) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 100; ++i) {
    const ChunkPartial partial = RandomPartial(rng, 0);
    auto parsed = ChunkPartialFromJson(ChunkPartialToJson(partial));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, partial);
  }
  ChunkPartial huge = MakePartial(InputFormat::kTpch, {{0, kLargestCents},
                                                       {0, kLargestCents},
                                                       {1, -kLargestCents},
                                                       {1, -kLargestCents},
                                                       {2, kLargestCents}});
  const std::string text = ChunkPartialToJson(huge);
  EXPECT_NE(text.find(R"([0,"18446744073709551614",2])"), std::string::npos) << text;
  EXPECT_NE(text.find(R"([1,"-18446744073709551614",2])"), std::string::npos) << text;
  EXPECT_NE(text.find(R"([2,9223372036854775807,1])"), std::string::npos) << text;
  auto parsed = ChunkPartialFromJson(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, huge);
}

TEST(ChunkPartialJsonTest, RejectsAnythingThisModuleWouldNotWrite) {
  const std::string good =
      R"({"v":1,"format":"tpch","header":false,"rows":3,"empty":0,"bytes":9,)"
      R"("nations":[[1,100,2],[4,-5,1]],"rejects":{"field_count":{"n":2,"at":[3,9]}}})";
  ASSERT_TRUE(ChunkPartialFromJson(good).ok());
  const auto with = [&good](const std::string& from, const std::string& to) {
    std::string text = good;
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  for (const std::string& text : {
           std::string(""),
           std::string("[]"),
           std::string("{\"v\":1}"),
           std::string("nonsense"),
           with("\"v\":1", "\"v\":2"),
           with("\"tpch\"", "\"tsv\""),
           with("\"header\":false", "\"header\":0"),
           with("\"rows\":3", "\"rows\":4"),  // nations add up to 3
           with("\"rows\":3", "\"rows\":-3"),
           with("\"empty\":0", "\"empty\":0.5"),
           with("\"bytes\":9", "\"bytes\":\"9\""),
           with("[[1,100,2],[4,-5,1]]", "[[4,-5,1],[1,100,2]]"),  // keys not ascending
           with("[[1,100,2],[4,-5,1]]", "[[1,100,2],[1,-5,1]]"),  // duplicate key
           with("[1,100,2]", "[1,100,0]"),
           with("[1,100,2]", "[-1,100,2]"),
           with("[1,100,2]", "[1,1.5,2]"),
           with("[1,100,2]", "[1,\"12x\",2]"),
           with("[1,100,2]", "[1,100]"),
           with("[4,-5,1]", "[4,\"-9223372036854775808\",1]"),  // beyond 1 row's reach
           with("field_count", "typo"),
           with("\"n\":2", "\"n\":1"),  // more offsets than rejects
           with("\"n\":2", "\"n\":0"),
           with("[3,9]", "[9,3]"),
           with("[3,9]", "[3,-9]"),
       }) {
    auto parsed = ChunkPartialFromJson(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), storage::StatusCode::kCorruption) << text;
  }
}

TEST(MeanBalanceTest, MeansAreComputedOnceFromExactSums) {
  // Two chunks whose own means would round differently from the true mean.
  const ChunkPartial a = MakePartial(InputFormat::kTpch, {{7, 1}, {7, 2}});  // 1.5 -> 2
  const ChunkPartial b = MakePartial(InputFormat::kTpch, {{7, 2}});
  auto merged = MergePartials({a, b});
  ASSERT_TRUE(merged.ok());
  const MeanBalanceResult result = ComputeMeanBalances(*merged);
  ASSERT_EQ(result.nations.size(), 1u);
  EXPECT_EQ(result.nations[0].mean_cents, 2);  // 5/3 = 1.67 -> 2
  EXPECT_EQ(result.nations[0].mean(), "0.02");

  const ChunkPartial negative =
      MakePartial(InputFormat::kTpch, {{0, -1234}, {0, -1235}, {1, -5}, {2, 3}, {2, 4}});
  const MeanBalanceResult means = ComputeMeanBalances(negative);
  ASSERT_EQ(means.nations.size(), 3u);
  EXPECT_EQ(means.nations[0].mean(), "-12.35");  // -12.345 -> away from zero
  EXPECT_EQ(means.nations[1].mean(), "-0.05");
  EXPECT_EQ(means.nations[2].mean(), "0.04");  // 0.035 -> 0.04 (away from zero)
  EXPECT_EQ(means.rows, 5);
}

TEST(MeanBalanceTest, ResultJson) {
  ChunkPartial merged = MakePartial(InputFormat::kTpch, {{0, -1234}, {0, -1235}, {3, 71156}});
  merged.reject(RejectReason::kFieldCount) = {2, {0, 812}};
  EXPECT_EQ(MeanBalanceResultToJson(ComputeMeanBalances(merged)),
            R"({"empty":0,"format":"tpch","header":false,"nations":[)"
            R"({"mean":"-12.35","nation":0,"rows":2,"sum_cents":-2469},)"
            R"({"mean":"711.56","nation":3,"rows":1,"sum_cents":71156}],)"
            R"("rejected":2,"rejects":{"field_count":{"at":[0,812],"n":2}},"rows":3})");
}

}  // namespace
}  // namespace fanfold::activities
