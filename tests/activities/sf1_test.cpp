// The whole TPC-H SF1 customer table (150,000 rows), streamed from `xz -dc` straight into one
// aggregator, as a blob download would feed it. Runs only where shared/data/tpch/ sits beside the
// source tree; skipped elsewhere. Also prints the single-thread parse throughput (not asserted).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "activities/chunk_aggregator.hpp"
#include "activities/mean_balance.hpp"
#include "aggregate_test_util.hpp"

namespace fanfold::activities {
namespace {

using testing_util::AsReference;
using testing_util::ReferenceTotals;
using testing_util::RunChunks;
using testing_util::RunSinglePass;
using testing_util::WholePieces;

const std::string kCompressedPath =
    std::string(FANFOLD_SOURCE_DIR) + "/../shared/data/tpch/customer-sf1.tbl.xz";

// Output of a shell command, or nothing with *ok false.
std::string CommandOutput(const std::string& command, bool* ok) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  *ok = pipe != nullptr;
  if (pipe == nullptr) return output;
  char buffer[4096];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    output.append(buffer, got);
  *ok = pclose(pipe) == 0;
  return output;
}

// "xz --robot --list" prints "file\t<streams>\t<blocks>\t<compressed>\t<uncompressed>\t...".
std::uint64_t UncompressedSize(const std::string& quoted_path, bool* ok) {
  const std::string listing = CommandOutput("xz --robot --list " + quoted_path, ok);
  std::istringstream lines(listing);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("file\t", 0) != 0) continue;
    std::istringstream columns(line);
    std::string column;
    std::vector<std::string> values;
    while (std::getline(columns, column, '\t'))
      values.push_back(column);
    if (values.size() > 4) return std::stoull(values[4]);
  }
  *ok = false;
  return 0;
}

struct Golden {
  int nation;
  std::int64_t rows;
  std::int64_t sum_cents;
  const char* mean;
};

// Computed outside C++ (Python fractions, round half away from zero) from the same file.
constexpr Golden kSf1Golden[] = {
    {0, 5925, 2632297010, "4442.70"},  {1, 5975, 2679787568, "4485.00"},
    {2, 5999, 2682167578, "4471.02"},  {3, 6020, 2702534416, "4489.26"},
    {4, 5995, 2710035405, "4520.49"},  {5, 5952, 2658980528, "4467.37"},
    {6, 6100, 2705968048, "4436.01"},  {7, 5908, 2630680829, "4452.74"},
    {8, 6042, 2729362748, "4517.32"},  {9, 6161, 2793048250, "4533.43"},
    {10, 6009, 2684426749, "4467.34"}, {11, 5963, 2691959660, "4514.44"},
    {12, 5948, 2689846871, "4522.27"}, {13, 6033, 2689136605, "4457.38"},
    {14, 5992, 2740656722, "4573.86"}, {15, 5921, 2662551217, "4496.79"},
    {16, 5974, 2702290644, "4523.42"}, {17, 5975, 2655629187, "4444.57"},
    {18, 6024, 2674021213, "4438.95"}, {19, 6100, 2772359189, "4544.85"},
    {20, 5904, 2645569333, "4480.98"}, {21, 6008, 2708199767, "4507.66"},
    {22, 6078, 2745785549, "4517.58"}, {23, 6011, 2713760003, "4514.66"},
    {24, 5983, 2731629885, "4565.65"},
};

TEST(Sf1Test, WholeFileStreamedFromXz) {
  if (!std::filesystem::exists(kCompressedPath)) {
    GTEST_SKIP() << "no " << kCompressedPath;
  }
  ASSERT_EQ(kCompressedPath.find('\''), std::string::npos);
  const std::string quoted = "'" + kCompressedPath + "'";
  bool ok = false;
  const std::uint64_t size = UncompressedSize(quoted, &ok);
  if (!ok) GTEST_SKIP() << "xz is not available";
  ASSERT_EQ(size, 24346144u);

  auto aggregator = ChunkAggregator::Create({0, 0, size}, size, InputFormat::kAuto);
  ASSERT_TRUE(aggregator.ok());
  FILE* pipe = popen(("xz -dc " + quoted).c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string text;  // kept for the reference and the chunked runs
  text.reserve(size);
  std::vector<char> buffer(1 << 20);
  std::size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    aggregator->Feed(buffer.data(), got);
    text.append(buffer.data(), got);
  }
  ASSERT_EQ(pclose(pipe), 0);
  ASSERT_EQ(text.size(), size);
  auto streamed = aggregator->Finish();
  ASSERT_TRUE(streamed.ok()) << streamed.status().ToString();

  EXPECT_EQ(streamed->format, InputFormat::kTpch);
  EXPECT_EQ(streamed->rows, 150000);
  EXPECT_EQ(streamed->rejected_rows(), 0);
  EXPECT_EQ(streamed->empty_lines, 0);
  EXPECT_EQ(streamed->bytes_read, size);
  ASSERT_EQ(streamed->nations.size(), 25u);
  EXPECT_EQ(AsReference(*streamed), ReferenceTotals(text));

  const MeanBalanceResult result = ComputeMeanBalances(*streamed);
  ASSERT_EQ(result.nations.size(), std::size(kSf1Golden));
  for (std::size_t i = 0; i < result.nations.size(); ++i) {
    const Golden& golden = kSf1Golden[i];
    const NationMean& nation = result.nations[i];
    EXPECT_EQ(nation.nation_key, golden.nation);
    EXPECT_EQ(nation.rows, golden.rows);
    EXPECT_TRUE(nation.sum_cents == golden.sum_cents) << golden.nation;
    EXPECT_EQ(nation.mean(), golden.mean);
  }

  // The same file cut into 16 chunks, as the pipelines would.
  auto plan = PlanChunks(size, 16);
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(
      SameTotals(RunChunks(text, plan->chunks, InputFormat::kAuto, {}, WholePieces()), *streamed));

  // Throughput of the parse alone (in memory, one thread), best of three.
  double best_seconds = 1e9;
  for (int run = 0; run < 3; ++run) {
    const auto start = std::chrono::steady_clock::now();
    const ChunkPartial partial = RunSinglePass(text, InputFormat::kTpch);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_EQ(partial.rows, 150000);
    best_seconds = std::min(best_seconds, elapsed.count());
  }
  const double mb_per_second = static_cast<double>(size) / 1e6 / best_seconds;
  std::printf("SF1 customer: %.1f MB in %.1f ms single-threaded = %.0f MB/s\n",
              static_cast<double>(size) / 1e6, best_seconds * 1e3, mb_per_second);
  RecordProperty("parse_mb_per_second", static_cast<int>(mb_per_second));
}

}  // namespace
}  // namespace fanfold::activities
