#include "activities/cents.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "aggregate_test_util.hpp"

namespace fanfold::activities {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();

std::int64_t CentsOf(std::string_view text) {
  const ParsedCents parsed = ParseCents(text);
  EXPECT_EQ(parsed.error, NumberError::kNone) << text;
  return parsed.cents;
}

NumberError ErrorOf(std::string_view text) {
  return ParseCents(text).error;
}

TEST(ParseCentsTest, AcceptsWholeOneAndTwoDecimalAmounts) {
  EXPECT_EQ(CentsOf("711.56"), 71156);
  EXPECT_EQ(CentsOf("-0.50"), -50);
  EXPECT_EQ(CentsOf("-0.5"), -50);
  EXPECT_EQ(CentsOf("12"), 1200);
  EXPECT_EQ(CentsOf("12.5"), 1250);
  EXPECT_EQ(CentsOf("12.50"), 1250);
  EXPECT_EQ(CentsOf("12.05"), 1205);
  EXPECT_EQ(CentsOf("0"), 0);
  EXPECT_EQ(CentsOf("-0"), 0);
  EXPECT_EQ(CentsOf("0.00"), 0);
  EXPECT_EQ(CentsOf("+7.10"), 710);
  EXPECT_EQ(CentsOf("-999.99"), -99999);
  EXPECT_EQ(CentsOf("007.50"), 750);
  EXPECT_EQ(CentsOf("0000000000000000000000000000001.01"), 101);
}

TEST(ParseCentsTest, RejectsEverythingElseAsInvalid) {
  for (const char* text : {"",
                           "-",
                           "+",
                           "+-1",
                           "-+1",
                           "--1",
                           "1.234",
                           "1.",
                           ".5",
                           "-.5",
                           "1e3",
                           "1E3",
                           "abc",
                           "12a",
                           "a12",
                           " 1",
                           "1 ",
                           "1,50",
                           "1.5.0",
                           "0x10",
                           "1.-5",
                           "1..5",
                           "\xEF\xBB\xBF"
                           "1",
                           "12\r",
                           "nan",
                           "inf"}) {
    EXPECT_EQ(ErrorOf(text), NumberError::kInvalid) << '"' << text << '"';
  }
  const std::string with_nul(
      "1\0"
      "2",
      3);
  EXPECT_EQ(ErrorOf(with_nul), NumberError::kInvalid);
}

TEST(ParseCentsTest, Int64CentsBoundsAreExact) {
  EXPECT_EQ(CentsOf("92233720368547758.07"), kInt64Max);
  EXPECT_EQ(CentsOf("-92233720368547758.07"), -kInt64Max);
  EXPECT_EQ(CentsOf("92233720368547758"), 9223372036854775800);
  EXPECT_EQ(ErrorOf("92233720368547758.08"), NumberError::kOutOfRange);
  EXPECT_EQ(ErrorOf("-92233720368547758.08"), NumberError::kOutOfRange);
  EXPECT_EQ(ErrorOf("92233720368547759"), NumberError::kOutOfRange);
  EXPECT_EQ(ErrorOf("99999999999999999999999999999999999999.99"), NumberError::kOutOfRange);
  // Syntax is judged before magnitude.
  EXPECT_EQ(ErrorOf("99999999999999999999999999999999999999.999"), NumberError::kInvalid);
  EXPECT_EQ(ErrorOf("99999999999999999999999999999999999999x"), NumberError::kInvalid);
}

TEST(FormatCentsTest, TwoDecimalsAndSignOnlyWhenNegative) {
  EXPECT_EQ(FormatCents(0), "0.00");
  EXPECT_EQ(FormatCents(5), "0.05");
  EXPECT_EQ(FormatCents(-5), "-0.05");
  EXPECT_EQ(FormatCents(-1235), "-12.35");
  EXPECT_EQ(FormatCents(1200), "12.00");
  EXPECT_EQ(FormatCents(-100), "-1.00");
  EXPECT_EQ(FormatCents(71156), "711.56");
  EXPECT_EQ(FormatCents(kInt64Max), "92233720368547758.07");
  EXPECT_EQ(FormatCents(kInt64Min), "-92233720368547758.08");
}

TEST(FormatCentsTest, RoundTripsThroughParse) {
  for (std::int64_t cents :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{99}, std::int64_t{-99},
        std::int64_t{100}, std::int64_t{-123456789}, kInt64Max, -kInt64Max}) {
    EXPECT_EQ(CentsOf(FormatCents(cents)), cents);
  }
}

TEST(MeanCentsTest, RoundsToNearestWithTiesAwayFromZero) {
  EXPECT_EQ(MeanCents(10, 4), 3);    // 2.5 -> 3
  EXPECT_EQ(MeanCents(14, 4), 4);    // 3.5 -> 4
  EXPECT_EQ(MeanCents(11, 4), 3);    // 2.75 -> 3
  EXPECT_EQ(MeanCents(9, 4), 2);     // 2.25 -> 2
  EXPECT_EQ(MeanCents(1, 2), 1);     // 0.5 -> 1
  EXPECT_EQ(MeanCents(3, 2), 2);     // 1.5 -> 2
  EXPECT_EQ(MeanCents(-1, 2), -1);   // -0.5 -> -1
  EXPECT_EQ(MeanCents(-3, 2), -2);   // -1.5 -> -2
  EXPECT_EQ(MeanCents(-5, 2), -3);   // -2.5 -> -3
  EXPECT_EQ(MeanCents(-7, 2), -4);   // -3.5 -> -4
  EXPECT_EQ(MeanCents(-11, 4), -3);  // -2.75 -> -3
  EXPECT_EQ(MeanCents(-9, 4), -2);   // -2.25 -> -2
  EXPECT_EQ(MeanCents(2, 3), 1);     // 0.67 -> 1
  EXPECT_EQ(MeanCents(-2, 3), -1);
  EXPECT_EQ(MeanCents(1, 3), 0);
  EXPECT_EQ(MeanCents(0, 7), 0);
  EXPECT_EQ(MeanCents(42, 1), 42);
  EXPECT_EQ(MeanCents(5, 0), 0);  // documented: no rows, no mean
}

TEST(MeanCentsTest, AgreesWithAnIndependentRoundingForManySmallCases) {
  for (std::int64_t count = 1; count <= 40; ++count) {
    for (std::int64_t sum = -2000; sum <= 2000; ++sum) {
      ASSERT_EQ(MeanCents(sum, count), testing_util::ReferenceMeanCents(sum, count))
          << sum << "/" << count;
    }
  }
}

TEST(MeanCentsTest, ExactBeyondInt64Sums) {
  // Three rows at the int64 maximum: the sum needs more than 64 bits, the mean does not.
  const CentsSum sum = CentsSum{kInt64Max} * 3;
  EXPECT_EQ(MeanCents(sum, 3), kInt64Max);
  EXPECT_EQ(MeanCents(-sum, 3), -kInt64Max);
  // (3 * max - 1) / 3 = max - 1/3 -> max; (3 * max - 2) / 3 -> max - 1 (2/3 below max).
  EXPECT_EQ(MeanCents(sum - 1, 3), kInt64Max);
  EXPECT_EQ(MeanCents(sum - 2, 3), kInt64Max - 1);
  // A huge count with a tie: (2^62 + 2^61) / 2^62 = 1.5 -> 2; (2^61) / 2^62 = 0.5 -> 1.
  const std::int64_t count = std::int64_t{1} << 62;
  EXPECT_EQ(MeanCents(CentsSum{count} + count / 2, count), 2);
  EXPECT_EQ(MeanCents(CentsSum{count / 2}, count), 1);
  EXPECT_EQ(MeanCents(-(CentsSum{count} + count / 2), count), -2);
  EXPECT_EQ(MeanCents(CentsSum{count / 2} + 1, count), 1);
  // Inconsistent input (a sum no `count` rows can reach) is clamped, not wrapped.
  EXPECT_EQ(MeanCents(CentsSum{1} << 100, 1), kInt64Max);
  EXPECT_EQ(MeanCents(-(CentsSum{1} << 100), 1), kInt64Min);
}

TEST(CentsSumTextTest, RoundTripsAndRejectsGarbage) {
  const CentsSum big = CentsSum{kInt64Max} * 1000 + 7;
  EXPECT_EQ(CentsSumToString(0), "0");
  EXPECT_EQ(CentsSumToString(-42), "-42");
  EXPECT_EQ(CentsSumToString(big), "9223372036854775807007");
  EXPECT_EQ(CentsSumToString(-big), "-9223372036854775807007");
  const CentsSum limit = CentsSum{1} << 126;
  for (const CentsSum value : {CentsSum{0}, CentsSum{1}, CentsSum{-1}, big, -big, limit, -limit}) {
    const auto parsed = ParseCentsSum(CentsSumToString(value));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_TRUE(*parsed == value) << CentsSumToString(value);
  }
  EXPECT_FALSE(ParseCentsSum(CentsSumToString(limit + 1)).has_value());
  EXPECT_FALSE(ParseCentsSum(CentsSumToString(-limit - 1)).has_value());
  for (const char* text :
       {"", "-", "+1", "1.0", "1a", " 1", "--1", "1000000000000000000000000000000000000000"}) {
    EXPECT_FALSE(ParseCentsSum(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace fanfold::activities
