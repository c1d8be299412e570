// The generator end to end: row counts, determinism across thread counts and block sizes, every
// column of every row against the specification's domains, loose distribution checks, and
// acceptance by the pipelines' own row parser.
#include "datagen/customer_generator.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>

#include "activities/row_parser.hpp"
#include "customer_line_check.hpp"
#include "datagen/customer_row.hpp"
#include "generate_test_util.hpp"

namespace fanfold::datagen {
namespace {

using testing_util::CheckCustomerLine;
using testing_util::CustomerFields;
using testing_util::ForEachLine;
using testing_util::GenerateToString;

GenerateOptions Options(double sf, std::uint64_t seed, int threads) {
  GenerateOptions options;
  options.scale_factor = sf;
  options.seed = seed;
  options.threads = threads;
  return options;
}

TEST(CustomerRowCountTest, ScalesAndRoundsFractionalFactors) {
  EXPECT_EQ(*CustomerRowCount(1), 150'000);
  EXPECT_EQ(*CustomerRowCount(0.01), 1'500);
  EXPECT_EQ(*CustomerRowCount(0.1), 15'000);
  EXPECT_EQ(*CustomerRowCount(40), 6'000'000);
  EXPECT_EQ(*CustomerRowCount(1.0 / 150'000), 1);
  EXPECT_EQ(*CustomerRowCount(0.0000101), 2);  // 1.515 rows round to 2
  EXPECT_EQ(*CustomerRowCount(6666), 999'900'000);
}

TEST(CustomerRowCountTest, RefusesFactorsWithoutRowsOrBeyondNineDigitKeys) {
  EXPECT_TRUE(CustomerRowCount(0).status().IsInvalidArgument());
  EXPECT_TRUE(CustomerRowCount(-1).status().IsInvalidArgument());
  EXPECT_TRUE(CustomerRowCount(1e-9).status().IsInvalidArgument());
  EXPECT_TRUE(CustomerRowCount(6667).status().IsInvalidArgument());
  EXPECT_TRUE(CustomerRowCount(std::nan("")).status().IsInvalidArgument());
  EXPECT_TRUE(CustomerRowCount(INFINITY).status().IsInvalidArgument());
}

TEST(CustomerGeneratorTest, WritesScaleFactorTimes150000RowsKeyedOneToN) {
  for (const double sf : {0.01, 0.1}) {
    const std::string table = GenerateToString(Options(sf, 7, 2));
    std::int64_t expected_key = 1;
    const std::int64_t lines = ForEachLine(table, [&](std::string_view line) {
      CustomerFields fields;
      ASSERT_EQ(CheckCustomerLine(line, &fields), "") << line;
      ASSERT_EQ(fields.key, expected_key++);
    });
    EXPECT_EQ(lines, sf == 0.01 ? 1'500 : 15'000) << sf;
    ASSERT_FALSE(table.empty());
    EXPECT_EQ(table.back(), '\n');
  }
}

TEST(CustomerGeneratorTest, SameSeedSameBytesWhateverTheThreadsAndBlocks) {
  GenerateOptions one = Options(0.01, 42, 1);
  GenerateOptions four = Options(0.01, 42, 4);
  four.rows_per_block = 37;  // many small blocks finishing out of order across 4 threads
  GenerateOptions odd = Options(0.01, 42, 3);
  odd.rows_per_block = 1'499;  // one full block and a one-row tail
  const std::string reference = GenerateToString(one);
  EXPECT_EQ(reference, GenerateToString(four));
  EXPECT_EQ(reference, GenerateToString(odd));
  EXPECT_EQ(reference, GenerateToString(one));
}

TEST(CustomerGeneratorTest, DifferentSeedsDifferInEveryRandomColumn) {
  const std::string a = GenerateToString(Options(0.01, 1, 2));
  const std::string b = GenerateToString(Options(0.01, 2, 2));
  ASSERT_NE(a, b);
  std::vector<std::string> lines_a;
  ForEachLine(a, [&](std::string_view line) { lines_a.emplace_back(line); });
  std::size_t i = 0, same_address = 0, same_balance = 0, same_comment = 0;
  ForEachLine(b, [&](std::string_view line) {
    CustomerFields x, y;
    ASSERT_EQ(CheckCustomerLine(lines_a[i++], &x), "");
    ASSERT_EQ(CheckCustomerLine(line, &y), "");
    ASSERT_EQ(x.key, y.key);
    same_address += x.address == y.address;
    same_balance += x.cents == y.cents;
    same_comment += x.comment == y.comment;
  });
  EXPECT_EQ(i, 1'500u);
  EXPECT_EQ(same_address, 0u);
  EXPECT_LT(same_balance, 5u);  // 1 in 1.1 million per row by chance
  EXPECT_EQ(same_comment, 0u);
}

// Row k depends on (seed, k) only, so a smaller table is exactly the head of a larger one: SF 0.01
// is the first 1,500 rows of SF 0.1 with the same seed.
TEST(CustomerGeneratorTest, SmallerScaleFactorsArePrefixesOfLargerOnes) {
  const std::string small = GenerateToString(Options(0.01, 8, 2));
  const std::string large = GenerateToString(Options(0.1, 8, 1));
  ASSERT_LT(small.size(), large.size());
  EXPECT_TRUE(large.compare(0, small.size(), small) == 0);
}

// Pins the output of seed 1 so that an accidental change to any draw or format is caught: users
// rely on "--seed S" reproducing yesterday's file.
TEST(CustomerGeneratorTest, OutputOfSeedOneIsStable) {
  GenerateOptions options = Options(0.00002, 1, 1);  // 3 rows
  const std::string table = GenerateToString(options);
  std::vector<std::string> lines;
  ForEachLine(table, [&](std::string_view line) { lines.emplace_back(line); });
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            "1|Customer#000000001|K VW9AJ,i0ePy3P7|15|25-238-688-9727|469.73|HOUSEHOLD|y regular "
            "asymptotes. requests use quickly even de|");
  EXPECT_EQ(lines[1],
            "2|Customer#000000002|D26blNMlOfFXDMHHVaTQ9mBOnVjXlri2k3iv|4|14-998-796-4980|1296.74|"
            "AUTOMOBILE|ong the furiously final accounts. regular, regular p|");
  EXPECT_EQ(lines[2],
            "3|Customer#000000003|FKx5VEuY6KE|3|13-479-920-7579|111.55|MACHINERY|oost quickly "
            "furiously bold accounts. final deposits sleep blithely slyly final packages: "
            "furiously even reques|");
}

TEST(CustomerGeneratorTest, DistributionsMatchTheSpecification) {
  const std::string table = GenerateToString(Options(0.1, 3, 2));
  std::array<int, 25> nations{};
  std::map<std::string, int> segments;
  std::array<int, 41> address_lengths{};
  std::array<int, 117> comment_lengths{};
  double balance_sum = 0;
  std::int64_t min_cents = 1 << 30, max_cents = -(1 << 30), negative = 0;
  const std::int64_t rows = ForEachLine(table, [&](std::string_view line) {
    CustomerFields fields;
    ASSERT_EQ(CheckCustomerLine(line, &fields), "") << line;
    ++nations[static_cast<std::size_t>(fields.nation)];
    ++segments[std::string(fields.segment)];
    ++address_lengths[fields.address.size()];
    ++comment_lengths[fields.comment.size()];
    balance_sum += static_cast<double>(fields.cents) / 100.0;
    min_cents = std::min(min_cents, fields.cents);
    max_cents = std::max(max_cents, fields.cents);
    negative += fields.cents < 0;
  });
  ASSERT_EQ(rows, 15'000);
  // Expected 600 per nation, standard deviation ~24: +-150 is over 6 sigma.
  for (int n = 0; n < 25; ++n)
    EXPECT_NEAR(nations[static_cast<std::size_t>(n)], 600, 150) << n;
  ASSERT_EQ(segments.size(), 5u);
  for (const auto& [segment, count] : segments)
    EXPECT_NEAR(count, 3'000, 300) << segment;
  // Uniform on [-999.99, 9999.99]: mean 4,500, standard error of the mean ~26.
  EXPECT_NEAR(balance_sum / static_cast<double>(rows), 4'500.0, 150.0);
  EXPECT_LT(min_cents, -90'000);
  EXPECT_GT(max_cents, 990'000);
  EXPECT_NEAR(static_cast<double>(negative) / static_cast<double>(rows), 1000.0 / 11000.0, 0.02);
  for (int length = 10; length <= 40; ++length) {  // ~484 each
    EXPECT_NEAR(address_lengths[static_cast<std::size_t>(length)], 484, 150) << length;
  }
  for (int length = 29; length <= 116; ++length) {  // ~170 each
    EXPECT_NEAR(comment_lengths[static_cast<std::size_t>(length)], 170, 85) << length;
  }
}

TEST(CustomerGeneratorTest, EveryRowIsAcceptedByThePipelinesRowParser) {
  const std::string table = GenerateToString(Options(0.01, 11, 2));
  std::int64_t rows = 0;
  ForEachLine(table, [&](std::string_view line) {
    CustomerFields fields;
    ASSERT_EQ(CheckCustomerLine(line, &fields), "");
    const auto parsed =
        activities::ParseCustomerLine(line, activities::InputFormat::kTpch, {0, 24});
    ASSERT_FALSE(parsed.reject.has_value()) << line;
    EXPECT_EQ(parsed.nation_key, fields.nation);
    EXPECT_EQ(parsed.cents, fields.cents);
    ++rows;
  });
  EXPECT_EQ(rows, 1'500);
}

TEST(CustomerGeneratorTest, SinkErrorStopsGenerationAndIsReturned) {
  GenerateOptions options = Options(0.1, 5, 2);
  options.rows_per_block = 100;
  int calls = 0;
  auto stats = GenerateCustomers(options, [&calls](std::string_view) {
    return ++calls == 3 ? storage::Status::IoError("disk full") : storage::Status::Ok();
  });
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().message(), "disk full");
  EXPECT_EQ(calls, 3);
}

TEST(CustomerGeneratorTest, RefusesBadOptions) {
  const auto ignore = [](std::string_view) { return storage::Status::Ok(); };
  EXPECT_TRUE(GenerateCustomers(Options(0, 1, 1), ignore).status().IsInvalidArgument());
  EXPECT_TRUE(GenerateCustomers(Options(1, 1, 0), ignore).status().IsInvalidArgument());
  GenerateOptions no_rows_per_block = Options(1, 1, 1);
  no_rows_per_block.rows_per_block = 0;
  EXPECT_TRUE(GenerateCustomers(no_rows_per_block, ignore).status().IsInvalidArgument());
}

// Measured, not asserted (beyond size): SF 1 into a sink that only counts, so the figure is the
// generator's own speed, with one and two generator threads.
TEST(CustomerGeneratorTest, MeasuresScaleFactorOneThroughput) {
  for (const int threads : {1, 2}) {
    std::uint64_t bytes = 0;
    auto stats = GenerateCustomers(Options(1, 1, threads), [&bytes](std::string_view piece) {
      bytes += piece.size();
      return storage::Status::Ok();
    });
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(stats->rows, 150'000);
    // dbgen's SF 1 file is 24,346,144 bytes; same distributions, so within 1%.
    EXPECT_NEAR(static_cast<double>(bytes), 24'346'144.0, 243'461.0);
    std::printf("[ throughput ] SF 1, %d thread(s): %llu bytes in %.3f s = %.1f MB/s\n", threads,
                static_cast<unsigned long long>(bytes), stats->seconds,
                stats->megabytes_per_second());
  }
}

}  // namespace
}  // namespace fanfold::datagen
