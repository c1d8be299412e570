#include "report/reductions.hpp"

#include <gtest/gtest.h>

#include "report/figures.hpp"
#include "report/results.hpp"
#include "report/values.hpp"
#include "tests/report/report_test_support.hpp"

namespace fanfold::report {
namespace {

TEST(Percentile, NearestRank) {
  const std::vector<double> v = {5, 1, 4, 2, 3};
  EXPECT_EQ(*Percentile(v, 50), 3);
  EXPECT_EQ(*Percentile(v, 100), 5);
  EXPECT_EQ(*Percentile(v, 1), 1);
  EXPECT_EQ(*Percentile(v, 80), 4);
  EXPECT_EQ(*Percentile(v, 81), 5);
  EXPECT_FALSE(Percentile({}, 50).has_value());
  EXPECT_FALSE(Percentile(v, 0).has_value());
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i)
    hundred.push_back(i);
  EXPECT_EQ(*Percentile(hundred, 95), 95);
  EXPECT_EQ(*Percentile(hundred, 99), 99);
}

TEST(Cdf, SortedWithFractions) {
  const auto cdf = Cdf({3, 1, 2, 2});
  ASSERT_EQ(cdf.size(), 4u);
  EXPECT_EQ(cdf[0], (std::pair<double, double>{1, 0.25}));
  EXPECT_EQ(cdf[3], (std::pair<double, double>{3, 1.0}));
}

TEST(Compare, WordsFollowTheNumbers) {
  const Comparison a = CompareLowerIsBetter("orchestrated", 2.0, "chained", 1.0);
  EXPECT_EQ(a.winner, "chained");
  EXPECT_DOUBLE_EQ(a.ratio, 2.0);
  EXPECT_EQ(Describe(a, "faster"), "chained is 2.00x faster than orchestrated");
  const Comparison b = CompareLowerIsBetter("orchestrated", 1.0, "chained", 3.0);
  EXPECT_EQ(Describe(b, "cheaper"), "orchestrated is 3.00x cheaper than chained");
  const Comparison tie = CompareLowerIsBetter("orchestrated", 1.0, "chained", 1.03);
  EXPECT_TRUE(tie.tie);
  EXPECT_NE(Describe(tie, "faster").find("about the same"), std::string::npos);
}

TEST(Format, SignificantDigitsAndThousands) {
  EXPECT_EQ(Fmt(1.23456), "1.23");
  EXPECT_EQ(Fmt(0.00012345), "0.000123");
  EXPECT_EQ(Fmt(123.456), "123");
  EXPECT_EQ(Fmt(12345.6), "12,346");
  EXPECT_EQ(Fmt(0), "0");
  EXPECT_EQ(FmtInt(1234567), "1,234,567");
  EXPECT_EQ(FmtInt(-1234), "-1,234");
  EXPECT_EQ(FmtUsd(0.000123456), "$0.000123");
  EXPECT_EQ(FmtUsd(0), "$0");
}

TEST(Picks, BestAndCheapestSkipFailedRuns) {
  const auto r = LoadPipelineResults(testing::FixturePath());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // The failed 8-chunk chained run has the lowest latency but must not be picked.
  const FanoutRun* best = BestRun(*r, "small", "chained");
  ASSERT_NE(best, nullptr);
  EXPECT_EQ(best->chunks, 4);
  EXPECT_EQ(BestRun(*r, "big", "chained"), nullptr);
  const FanoutRun* cheapest = CheapestRun(*r, testing::RoundPrices(), "small", "orchestrated");
  ASSERT_NE(cheapest, nullptr);
  EXPECT_EQ(cheapest->pipeline, "orchestrated");
}

TEST(Picks, ArgMinTiesGoToTheFirst) {
  const std::vector<int> v = {3, 1, 1, 2};
  auto i = ArgMin<int>(
      v, [](const int& x) { return static_cast<double>(x); }, [](const int&) { return true; });
  EXPECT_EQ(*i, 1u);
  auto none = ArgMin<int>(
      v, [](const int& x) { return static_cast<double>(x); }, [](const int&) { return false; });
  EXPECT_FALSE(none.has_value());
}

TEST(Gantt, LanesNeverOverlapWithinAWorker) {
  const std::vector<Span> spans = {
      {0, "w1", 0, 2, true}, {1, "w1", 1, 3, true}, {2, "w1", 2, 4, true}, {3, "w2", 0, 1, true}};
  int rows = 0;
  const std::vector<int> lane = PackLanes(spans, &rows);
  EXPECT_EQ(rows, 2);
  EXPECT_EQ(lane[0], 0);
  EXPECT_EQ(lane[1], 1);
  EXPECT_EQ(lane[2], 0);  // starts when chunk 0 ends
  EXPECT_EQ(lane[3], 0);
}

TEST(Gantt, PicksTheWidestCompletedRunWithSpans) {
  const auto r = LoadPipelineResults(testing::FixturePath());
  ASSERT_TRUE(r.ok());
  const FanoutRun* g = GanttRun(*r, "orchestrated");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->chunks, 4);
  EXPECT_EQ(GanttRun(*r, "chained"), nullptr);  // its runs carry no spans
}

}  // namespace
}  // namespace fanfold::report
