// The merge activity as pure logic over partials computed in memory from the sample file: exact
// for every order and any number of redeliveries, and refusing (with the chunk named) whatever
// would make the answer wrong: conflicting duplicates, missing chunks, foreign indices, formats.
#include "activities/merge_activity.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "aggregate_test_util.hpp"

namespace fanfold::activities {
namespace {

using testing_util::ReadFileOrDie;
using testing_util::SampleFilePath;

class MergeActivityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = ReadFileOrDie(SampleFilePath());
    auto plan = PlanChunks(file_.size(), 9);
    ASSERT_TRUE(plan.ok());
    for (const ChunkRange& chunk : plan->chunks) {
      auto partial = AggregateChunkInMemory(file_, chunk, InputFormat::kTpch);
      ASSERT_TRUE(partial.ok());
      outputs_.push_back({chunk.index, *partial, partial->bytes_read + 7, 1.5});
    }
    auto single = AggregateChunkInMemory(file_, {0, 0, file_.size()}, InputFormat::kTpch);
    ASSERT_TRUE(single.ok());
    expected_ = ComputeMeanBalances(*single);
  }

  std::string file_;
  std::vector<AggregateOutput> outputs_;
  MeanBalanceResult expected_;
};

TEST_F(MergeActivityTest, EveryOrderAndEveryRedeliveryGivesTheSinglePass) {
  std::mt19937 random(11);
  for (int round = 0; round < 20; ++round) {
    MergeInput input{9, outputs_, kDefaultRejectSamples};
    const int extra = round % 5;  // 0..4 redeliveries, with different timings
    for (int i = 0; i < extra; ++i) {
      AggregateOutput again = outputs_[random() % outputs_.size()];
      again.milliseconds = 99;
      again.bytes_downloaded += 1;
      input.partials.push_back(again);
    }
    std::shuffle(input.partials.begin(), input.partials.end(), random);
    auto merged = MergeChunkPartials(input);
    ASSERT_TRUE(merged.ok()) << merged.status().ToString();
    EXPECT_EQ(merged->result, expected_);
    EXPECT_EQ(merged->duplicates_ignored, static_cast<std::uint32_t>(extra));
    EXPECT_EQ(merged->chunk_count, 9u);
    std::uint64_t bytes_read = 0;
    for (const AggregateOutput& output : outputs_)
      bytes_read += output.partial.bytes_read;
    EXPECT_EQ(merged->bytes_read, bytes_read);
  }
}

TEST_F(MergeActivityTest, ADifferentPartialForOneChunkIsCorruptionNamingIt) {
  MergeInput input{9, outputs_, kDefaultRejectSamples};
  AggregateOutput other = outputs_[4];
  other.partial.rows += 1;
  other.partial.nations.begin()->second.rows += 1;
  input.partials.insert(input.partials.begin(), other);  // taken first: the original conflicts
  auto merged = MergeChunkPartials(input);
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.status().code(), storage::StatusCode::kCorruption);
  EXPECT_NE(merged.status().message().find("chunk 4 has two different partials"), std::string::npos)
      << merged.status().message();
}

// Feeds the chunk's read window to an aggregator in pieces of `piece` bytes, as a download
// delivers it.
AggregateOutput AggregateInPieces(const std::string& file, const ChunkRange& chunk,
                                  std::size_t piece) {
  auto aggregator = ChunkAggregator::Create(chunk, file.size(), InputFormat::kTpch);
  EXPECT_TRUE(aggregator.ok());
  const ByteRange window = aggregator->read_window();
  for (std::uint64_t at = window.begin; at < window.end && !aggregator->done(); at += piece) {
    aggregator->Feed(
        std::string_view(file).substr(at, std::min<std::uint64_t>(piece, window.end - at)));
  }
  auto partial = aggregator->Finish();
  EXPECT_TRUE(partial.ok()) << partial.status().ToString();
  return {chunk.index, *partial, partial->bytes_read, 1.0};
}

// A chunk that ends inside a line longer than max_line_bytes stops reading once the line is
// known to be too long, which happens at a piece boundary: a redelivered chunk can report other
// bytes_read with the same totals. That is one partial, not two different ones.
TEST_F(MergeActivityTest, RedeliveriesThatReadALongLineInOtherPiecesAreOnePartial) {
  const std::string good =
      "1|Customer#000000001|IVhzIApeRb|15|25-989-741-2988|711.56|BUILDING|regular|\n";
  std::string file;
  for (int i = 0; i < 3; ++i)
    file += good;
  const std::size_t long_line = file.size();
  file += std::string(kDefaultMaxLineBytes + 5000, 'x') + "\n";
  for (int i = 0; i < 3; ++i)
    file += good;
  const ChunkRange first{0, 0, long_line + 30000};  // ends inside the long line
  const ChunkRange second{1, long_line + 30000, file.size()};

  const AggregateOutput whole = AggregateInPieces(file, first, file.size());
  const AggregateOutput pieces = AggregateInPieces(file, first, 4096);
  ASSERT_NE(whole.partial.bytes_read, pieces.partial.bytes_read) << "the scenario needs both";
  ASSERT_EQ(whole.partial.reject(RejectReason::kLineTooLong).count, 1);

  MergeInput input{2, {whole, AggregateInPieces(file, second, 512), pieces}, 5};
  auto merged = MergeChunkPartials(input);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->duplicates_ignored, 1u);
  auto single = AggregateChunkInMemory(file, {0, 0, file.size()}, InputFormat::kTpch);
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(merged->result, ComputeMeanBalances(*single));
  EXPECT_EQ(merged->result.rows, 6);
  EXPECT_EQ(merged->result.rejected_rows, 1);
}

TEST_F(MergeActivityTest, MissingChunksAreListed) {
  MergeInput input{9, {}, kDefaultRejectSamples};
  for (const AggregateOutput& output : outputs_) {
    if (output.chunk_index % 4 != 0) input.partials.push_back(output);
  }
  auto merged = MergeChunkPartials(input);
  ASSERT_FALSE(merged.ok());
  EXPECT_TRUE(merged.status().IsInvalidArgument());
  EXPECT_EQ(merged.status().message(),
            "cannot merge: 3 of 9 chunks have no partial (chunk 0, 4, 8): aggregate them before "
            "merging");

  // Long lists are cut after 20 indices; the count stays exact.
  merged = MergeChunkPartials({1000, outputs_, kDefaultRejectSamples});
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.status().message().find("991 of 1000 chunks have no partial (chunk 9, 10, "),
            std::string::npos)
      << merged.status().message();
  EXPECT_NE(merged.status().message().find(", 28, ...)"), std::string::npos);
}

TEST_F(MergeActivityTest, RefusesForeignIndicesBadCountsAndMixedFormats) {
  auto merged = MergeChunkPartials({8, outputs_, kDefaultRejectSamples});  // chunk 8 is foreign
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.status().message().find("a partial is for chunk 8 but the plan has 8 chunks"),
            std::string::npos)
      << merged.status().message();
  EXPECT_TRUE(MergeChunkPartials({0, {}, kDefaultRejectSamples}).status().IsInvalidArgument());
  EXPECT_TRUE(
      MergeChunkPartials({kMaxChunks + 1, {}, kDefaultRejectSamples}).status().IsInvalidArgument());

  MergeInput mixed{9, outputs_, kDefaultRejectSamples};
  mixed.partials[6].partial.format = InputFormat::kCsv;
  merged = MergeChunkPartials(mixed);
  ASSERT_FALSE(merged.ok());
  EXPECT_TRUE(merged.status().IsInvalidArgument());
  EXPECT_NE(merged.status().message().find("cannot merge chunk 6"), std::string::npos)
      << merged.status().message();
}

TEST_F(MergeActivityTest, KeepsTheFirstRejectOffsetsOfTheWholeFile) {
  // Every line of the file rejected (wrong field count as CSV), in 9 chunks, 3 samples kept.
  MergeInput input{9, {}, 3};
  auto plan = PlanChunks(file_.size(), 9);
  ASSERT_TRUE(plan.ok());
  AggregateOptions options;
  options.reject_samples = 3;
  for (const ChunkRange& chunk : plan->chunks) {
    auto partial = AggregateChunkInMemory(file_, chunk, InputFormat::kCsv, options);
    ASSERT_TRUE(partial.ok());
    input.partials.push_back({chunk.index, *partial, 0, 0});
  }
  std::reverse(input.partials.begin(), input.partials.end());
  auto merged = MergeChunkPartials(input);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->result.rows, 0);
  EXPECT_EQ(merged->result.rejected_rows, 3000);
  const std::size_t second_line = file_.find('\n') + 1;
  const std::size_t third_line = file_.find('\n', second_line) + 1;
  EXPECT_EQ(merged->result.rejects[RejectReasonIndex(RejectReason::kFieldCount)].first_offsets,
            (std::vector<std::uint64_t>{0, second_line, third_line}));
}

}  // namespace
}  // namespace fanfold::activities
