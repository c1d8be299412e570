// The real TPC-H SF1 customer table (150,000 rows, 24 MB) through the whole job on the storage
// fixture: decompressed to a temporary file, uploaded with UploadFile, partitioned into 16 chunks,
// every chunk aggregated with its one ranged read, merged. Runs only where shared/data/tpch/ sits
// beside the source tree; skipped elsewhere. Prints upload time, job time and read throughput.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "activities/chunk_aggregator.hpp"
#include "activities/result_table.hpp"
#include "aggregate_test_util.hpp"
#include "blob_job_test_support.hpp"
#include "storage/random_id.hpp"

namespace fanfold::activities {
namespace {

using storage::OperationKind;
using testing_util::BlobJobTest;
using testing_util::ReadFileOrDie;

const std::string kCompressedPath =
    std::string(FANFOLD_SOURCE_DIR) + "/../shared/data/tpch/customer-sf1.tbl.xz";

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class Sf1JobTest : public BlobJobTest {};

TEST_F(Sf1JobTest, WholeFileThroughTheJobEqualsTheSinglePass) {
  if (!std::filesystem::exists(kCompressedPath)) GTEST_SKIP() << "no " << kCompressedPath;
  ASSERT_EQ(kCompressedPath.find('\''), std::string::npos);
  const std::string path = ::testing::TempDir() + "customer-sf1-" + storage::NewUuid() + ".tbl";
  const std::string command = "xz -dc '" + kCompressedPath + "' > '" + path + "'";
  if (std::system(command.c_str()) != 0) {
    std::filesystem::remove(path);
    GTEST_SKIP() << "xz is not available";
  }
  struct Cleanup {
    std::string path;
    ~Cleanup() { std::filesystem::remove(path); }
  } cleanup{path};
  const std::string file = ReadFileOrDie(path);
  ASSERT_EQ(file.size(), 24346144u);

  auto start = std::chrono::steady_clock::now();
  auto uploaded = blob("customer-sf1.tbl").UploadFile(path);
  ASSERT_TRUE(uploaded.ok()) << uploaded.status().ToString();
  const double upload_seconds = SecondsSince(start);
  EXPECT_EQ(uploaded->size, file.size());

  start = std::chrono::steady_clock::now();
  const auto before = Counters();
  PartitionInput input = PartitionOf("customer-sf1.tbl", 16);
  input.expected_etag = uploaded->etag;
  auto partition = PartitionBlob(*blobs_, input);
  ASSERT_TRUE(partition.ok()) << partition.status().ToString();
  ASSERT_EQ(partition->plan.chunks.size(), 16u);
  const double partition_seconds = SecondsSince(start);

  auto aggregate_start = std::chrono::steady_clock::now();
  MergeInput merge{16, AggregateAll(*partition), kDefaultRejectSamples};
  ASSERT_EQ(merge.partials.size(), 16u);
  const double aggregate_seconds = SecondsSince(aggregate_start);
  auto merged = MergeChunkPartials(merge);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  const double job_seconds = SecondsSince(start);

  const auto delta = Counters() - before;
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobProperties), 1u);
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobRead), 1u + 16u);
  EXPECT_EQ(delta.total_operations(), 18u);

  const MeanBalanceResult& result = merged->result;
  EXPECT_EQ(result.format, InputFormat::kTpch);
  EXPECT_EQ(result.rows, 150000);
  EXPECT_EQ(result.rejected_rows, 0);
  EXPECT_EQ(result.empty_lines, 0);
  ASSERT_EQ(result.nations.size(), 25u);
  auto single = AggregateChunkInMemory(file, {0, 0, file.size()}, InputFormat::kAuto);
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(result, ComputeMeanBalances(*single));
  // Two values of the golden table (computed outside C++) as a spot check.
  EXPECT_EQ(result.nations[0].mean(), "4442.70");
  EXPECT_EQ(result.nations[24].mean(), "4565.65");

  const double megabytes = static_cast<double>(merged->bytes_downloaded) / 1e6;
  std::printf(
      "[ SF1 job  ] upload %.2f s (%.1f MB/s, %u blocks); partition %.3f s; aggregate 16 chunks "
      "%.2f s sequential (%.1f MB downloaded, %.1f MB/s); partition+aggregate+merge %.2f s\n",
      upload_seconds, static_cast<double>(file.size()) / 1e6 / upload_seconds,
      uploaded->block_count, partition_seconds, aggregate_seconds, megabytes,
      megabytes / aggregate_seconds, job_seconds);
  std::printf("%s", FormatMeanBalanceTable(result).c_str());
  RecordProperty("upload_seconds", std::to_string(upload_seconds));
  RecordProperty("job_seconds", std::to_string(job_seconds));
  RecordProperty("aggregate_mb_per_second", std::to_string(megabytes / aggregate_seconds));
}

}  // namespace
}  // namespace fanfold::activities
