// The aggregate activity against the storage fixture: exactly one ranged read per chunk, stopped
// once the chunk is done, pinned to the planned version (a replaced blob fails with 412), exact
// under injected faults, and never a silently short partial.
#include <gtest/gtest.h>

#include "activities/chunk_aggregator.hpp"
#include "aggregate_test_util.hpp"
#include "blob_job_test_support.hpp"
#include "storage/fault_injecting_transport.hpp"
#include "storage/pipeline.hpp"

namespace fanfold::activities {
namespace {

using storage::OperationKind;
using testing_util::BlobJobTest;
using testing_util::ReadFileOrDie;
using testing_util::SampleFilePath;

class AggregateTest : public BlobJobTest {
 protected:
  void SetUp() override {
    BlobJobTest::SetUp();
    file_ = ReadFileOrDie(SampleFilePath());
    Upload("sample.tbl", file_);
  }

  PartitionOutput Partition(std::uint32_t chunks,
                            std::size_t max_line_bytes = kDefaultMaxLineBytes) {
    PartitionInput input = PartitionOf("sample.tbl", chunks);
    input.max_line_bytes = max_line_bytes;
    auto partition = PartitionBlob(*blobs_, input);
    EXPECT_TRUE(partition.ok()) << partition.status().ToString();
    return partition.ok() ? *partition : PartitionOutput{};
  }

  std::vector<AggregateInput> Inputs(const PartitionOutput& partition,
                                     const AggregateOptions& options = {}) {
    auto inputs = MakeAggregateInputs(partition, options);
    EXPECT_TRUE(inputs.ok()) << inputs.status().ToString();
    return inputs.ok() ? *inputs : std::vector<AggregateInput>{};
  }

  std::string file_;
};

TEST_F(AggregateTest, EachChunkIsExactlyOneRangedReadAndMatchesTheInMemoryChunk) {
  const PartitionOutput partition = Partition(7);
  for (const AggregateInput& input : Inputs(partition)) {
    SCOPED_TRACE("chunk " + std::to_string(input.chunk.index));
    const auto before = Counters();
    auto output = AggregateBlobChunk(*blobs_, input);
    ASSERT_TRUE(output.ok()) << output.status().ToString();
    const auto delta = Counters() - before;
    EXPECT_EQ(delta.operations_of(OperationKind::kBlobRead), 1u);
    EXPECT_EQ(delta.attempts_of(OperationKind::kBlobRead), 1u);
    EXPECT_EQ(delta.total_operations(), 1u);
    EXPECT_EQ(delta.total_attempts(), 1u);

    auto expected = AggregateChunkInMemory(file_, input.chunk, input.format);
    ASSERT_TRUE(expected.ok());
    EXPECT_EQ(output->partial, *expected);  // bytes_read included
    EXPECT_EQ(output->chunk_index, input.chunk.index);
    EXPECT_GE(output->bytes_downloaded, output->partial.bytes_read);
    EXPECT_LE(output->bytes_downloaded, ReadWindow(input.chunk, file_.size()).size());
    EXPECT_GT(output->milliseconds, 0.0);
  }
}

TEST_F(AggregateTest, StopsTheDownloadOnceTheChunksLastLineIsRead) {
  // A 256 KiB look-ahead makes chunk 0's window the whole file; its lines end near the middle.
  const std::size_t max_line_bytes = 256 * 1024;
  const PartitionOutput partition = Partition(2, max_line_bytes);
  AggregateOptions options;
  options.max_line_bytes = max_line_bytes;
  const AggregateInput input = Inputs(partition, options).at(0);
  ASSERT_EQ(ReadWindow(input.chunk, file_.size(), max_line_bytes).size(), file_.size());

  const auto before = Counters();
  auto output = AggregateBlobChunk(*blobs_, input);
  ASSERT_TRUE(output.ok()) << output.status().ToString();
  const auto delta = Counters() - before;
  EXPECT_EQ(delta.total_operations(), 1u);
  EXPECT_LE(output->partial.bytes_read, input.chunk.end + 300);  // up to its last '\n'
  // Stopped within a few transport buffers of that, not at the end of the window.
  EXPECT_LT(output->bytes_downloaded, input.chunk.end + 100'000);
  EXPECT_LT(delta.bytes_received, file_.size() - 100'000);
}

TEST_F(AggregateTest, ABlobReplacedAfterPartitionFailsWith412NeverAMixedRead) {
  const PartitionOutput partition = Partition(7);
  const std::vector<AggregateInput> inputs = Inputs(partition);
  ASSERT_TRUE(AggregateBlobChunk(*blobs_, inputs[3]).ok());
  // Same name, same bytes even: a new upload is a new version with a new ETag.
  const std::string new_etag = Upload("sample.tbl", file_);
  ASSERT_NE(new_etag, partition.etag);
  for (const std::size_t index : {std::size_t{0}, std::size_t{3}, std::size_t{6}}) {
    const auto before = Counters();
    auto output = AggregateBlobChunk(*blobs_, inputs[index]);
    ASSERT_FALSE(output.ok());
    EXPECT_TRUE(output.status().IsPreconditionFailed()) << output.status().ToString();
    EXPECT_NE(output.status().message().find("submit the job again"), std::string::npos)
        << output.status().message();
    const auto delta = Counters() - before;
    EXPECT_EQ(delta.total_operations(), 1u);
    EXPECT_EQ(delta.attempts_of(OperationKind::kBlobRead), 1u);
    EXPECT_LT(delta.bytes_received, 1000u);  // the error document, no data of the new version
  }
}

TEST_F(AggregateTest, ADeletedBlobFails) {
  const PartitionOutput partition = Partition(2);
  ASSERT_TRUE(blob("sample.tbl").Delete().ok());
  auto output = AggregateBlobChunk(*blobs_, Inputs(partition).at(1));
  ASSERT_FALSE(output.ok());
  // Azure answers a Get Blob with If-Match on a missing blob 404 BlobNotFound; Azurite (up to at
  // least 3.37) answers 412 ConditionNotMet (Azure/Azurite#2751). Either way the job stops.
  if (fanfold::testing::UsingAzurite()) {
    EXPECT_TRUE(output.status().IsNotFound() || output.status().IsPreconditionFailed())
        << output.status().ToString();
  } else {
    EXPECT_TRUE(output.status().IsNotFound()) << output.status().ToString();
  }
}

TEST_F(AggregateTest, ABlobShorterThanPlannedIsAnErrorNotAShortPartial) {
  const PartitionOutput partition = Partition(4);
  // The input claims 10,000 more bytes than the version holds (a plan from another file).
  AggregateInput input = Inputs(partition).at(3);
  input.file_size += 10'000;
  input.chunk.end += 10'000;
  auto output = AggregateBlobChunk(*blobs_, input);
  ASSERT_FALSE(output.ok());
  EXPECT_EQ(output.status().code(), storage::StatusCode::kCorruption) << output.status().ToString();
  EXPECT_NE(output.status().message().find("is 483767 bytes but the job planned 493767"),
            std::string::npos)
      << output.status().message();

  // A chunk that starts past the real end: the service refuses the range.
  input.chunk = {4, file_.size() + 5000, file_.size() + 10'000};
  output = AggregateBlobChunk(*blobs_, input);
  ASSERT_FALSE(output.ok());
  EXPECT_EQ(output.status().http_status(), 416) << output.status().ToString();
  EXPECT_NE(output.status().message().find("is shorter than the 493767 bytes the job planned"),
            std::string::npos)
      << output.status().message();
}

TEST_F(AggregateTest, InvalidInputSendsNothing) {
  const PartitionOutput partition = Partition(3);
  const std::vector<AggregateInput> inputs = Inputs(partition);
  const auto before = Counters();
  AggregateInput input = inputs[1];
  input.etag.clear();
  EXPECT_TRUE(AggregateBlobChunk(*blobs_, input).status().IsInvalidArgument());
  input = inputs[1];
  input.format = InputFormat::kAuto;  // only chunk 0 may detect
  EXPECT_TRUE(AggregateBlobChunk(*blobs_, input).status().IsInvalidArgument());
  input = inputs[1];
  input.chunk.end = file_.size() + 1;
  EXPECT_TRUE(AggregateBlobChunk(*blobs_, input).status().IsInvalidArgument());
  input = inputs[1];
  input.options.max_line_bytes = 0;
  EXPECT_TRUE(AggregateBlobChunk(*blobs_, input).status().IsInvalidArgument());
  EXPECT_EQ((Counters() - before).total_operations(), 0u);

  AggregateOptions other;
  other.max_line_bytes = 1000;
  EXPECT_TRUE(MakeAggregateInputs(partition, other).status().IsInvalidArgument());
}

TEST_F(AggregateTest, ExactUnderInjectedFaults) {
  // Busy answers, resets before sending, and answers lost after the service sent them (the
  // download then resumes mid-body from the first byte the aggregator has not had).
  storage::FaultOptions faults;
  faults.server_busy_rate = 0.15;
  faults.reset_rate = 0.15;
  faults.lost_response_rate = 0.15;
  faults.seed = 4;
  auto faulty =
      std::make_shared<storage::FaultInjectingTransport>(storage::DefaultTransport(), faults);
  storage::PipelineOptions pipeline;
  pipeline.counters = &counters_;
  pipeline.transport = faulty;
  pipeline.retry.max_retries = 10;
  pipeline.retry.initial_delay = std::chrono::milliseconds(1);
  pipeline.retry.max_delay = std::chrono::milliseconds(2);
  const storage::BlobServiceClient faulty_blobs(fanfold::testing::TestAccount(), pipeline);

  const PartitionOutput partition = Partition(16);
  const auto before = Counters();
  MergeInput merge{16, {}, kDefaultRejectSamples};
  for (const AggregateInput& input : Inputs(partition)) {
    auto output = AggregateBlobChunk(faulty_blobs, input);
    ASSERT_TRUE(output.ok()) << output.status().ToString();
    merge.partials.push_back(*output);
  }
  const auto delta = Counters() - before;
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobRead), 16u);
  EXPECT_GT(faulty->counts().total_faults(), 0u);
  auto merged = MergeChunkPartials(merge);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  auto single = AggregateChunkInMemory(file_, {0, 0, file_.size()}, InputFormat::kAuto);
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(merged->result, ComputeMeanBalances(*single));
}

}  // namespace
}  // namespace fanfold::activities
