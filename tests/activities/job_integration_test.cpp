// The whole job against the storage fixture: partition, aggregate every chunk with one ranged
// read each, merge, and compare with the pure single pass over the same bytes held in memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "activities/chunk_aggregator.hpp"
#include "activities/mean_balance.hpp"
#include "activities/mean_balance_json.hpp"
#include "activities/result_table.hpp"
#include "aggregate_test_util.hpp"
#include "blob_job_test_support.hpp"

namespace fanfold::activities {
namespace {

using storage::OperationKind;
using testing_util::AsReference;
using testing_util::BlobJobTest;
using testing_util::ReadFileOrDie;
using testing_util::ReferenceTotals;
using testing_util::SampleFilePath;
using testing_util::TpchToCsv;

MeanBalanceResult SinglePass(const std::string& file, InputFormat format = InputFormat::kAuto) {
  auto partial = AggregateChunkInMemory(file, {0, 0, file.size()}, format);
  EXPECT_TRUE(partial.ok()) << partial.status().ToString();
  return partial.ok() ? ComputeMeanBalances(*partial) : MeanBalanceResult{};
}

class JobTest : public BlobJobTest {};

TEST_F(JobTest, SampleFileEqualsTheSinglePassForEveryChunkCount) {
  const std::string file = ReadFileOrDie(SampleFilePath());
  ASSERT_EQ(file.size(), 483767u);
  Upload("sample.tbl", file);
  const MeanBalanceResult expected = SinglePass(file);
  ASSERT_EQ(expected.rows, 3000);
  ASSERT_EQ(expected.nations.size(), 25u);

  for (const std::uint32_t chunks : {1u, 2u, 7u, 64u}) {
    SCOPED_TRACE("chunks " + std::to_string(chunks));
    const MergeOutput merged = RunJob(PartitionOf("sample.tbl", chunks));
    EXPECT_EQ(merged.chunk_count, chunks);
    EXPECT_EQ(merged.duplicates_ignored, 0u);
    EXPECT_EQ(merged.result, expected);
    EXPECT_EQ(merged.result.format, InputFormat::kTpch);
    EXPECT_EQ(merged.result.rows, 3000);
    EXPECT_EQ(merged.result.rejected_rows, 0);
    // Each chunk consumed its bytes plus the byte before it and the end of its last line.
    EXPECT_GE(merged.bytes_read, file.size());
    EXPECT_LE(merged.bytes_read, file.size() + chunks * 300);
    EXPECT_GE(merged.bytes_downloaded, merged.bytes_read);
  }
  // And against the independent reference (std::getline and std::stoll).
  const MergeOutput merged = RunJob(PartitionOf("sample.tbl", 7));
  std::map<int, testing_util::ReferenceNation> totals;
  for (const NationMean& nation : merged.result.nations) {
    totals[nation.nation_key] = {static_cast<std::int64_t>(nation.sum_cents), nation.rows};
  }
  EXPECT_EQ(totals, ReferenceTotals(file));
}

TEST_F(JobTest, OutputsSurviveTheirJsonBetweenActivities) {
  const std::string file = ReadFileOrDie(SampleFilePath());
  Upload("sample.tbl", file);
  // Each step reads only the previous step's JSON, as queue messages and table rows carry it.
  auto partition_input = PartitionInputFromJson(PartitionInputToJson(PartitionOf("sample.tbl", 5)));
  ASSERT_TRUE(partition_input.ok()) << partition_input.status().ToString();
  auto partition = PartitionBlob(*blobs_, *partition_input);
  ASSERT_TRUE(partition.ok()) << partition.status().ToString();
  auto partition_again = PartitionOutputFromJson(PartitionOutputToJson(*partition));
  ASSERT_TRUE(partition_again.ok()) << partition_again.status().ToString();
  EXPECT_EQ(*partition_again, *partition);

  auto inputs = MakeAggregateInputs(*partition_again, {});
  ASSERT_TRUE(inputs.ok());
  MergeInput merge;
  merge.chunk_count = 5;
  for (const AggregateInput& input : *inputs) {
    auto input_again = AggregateInputFromJson(AggregateInputToJson(input));
    ASSERT_TRUE(input_again.ok()) << input_again.status().ToString();
    auto output = AggregateBlobChunk(*blobs_, *input_again);
    ASSERT_TRUE(output.ok()) << output.status().ToString();
    auto output_again = AggregateOutputFromJson(AggregateOutputToJson(*output));
    ASSERT_TRUE(output_again.ok()) << output_again.status().ToString();
    EXPECT_EQ(output_again->partial, output->partial);
    merge.partials.push_back(*output_again);
  }
  auto merge_again = MergeInputFromJson(MergeInputToJson(merge));
  ASSERT_TRUE(merge_again.ok()) << merge_again.status().ToString();
  auto merged = MergeChunkPartials(*merge_again);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->result, SinglePass(file));
  auto merged_again = MergeOutputFromJson(MergeOutputToJson(*merged));
  ASSERT_TRUE(merged_again.ok()) << merged_again.status().ToString();
  EXPECT_EQ(merged_again->result, merged->result);
  const std::string table = FormatMeanBalanceTable(merged_again->result);
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 26);  // header + 25 nations
}

TEST_F(JobTest, CsvVariantsGiveTheSameMeansAsTpch) {
  const std::string tpch = ReadFileOrDie(SampleFilePath());
  Upload("sample.tbl", tpch);
  const MeanBalanceResult reference = RunJob(PartitionOf("sample.tbl", 7)).result;
  ASSERT_EQ(reference.rows, 3000);

  struct Variant {
    const char* name;
    bool header;
    bool crlf;
  };
  for (const Variant variant :
       {Variant{"header-lf.csv", true, false}, Variant{"header-crlf.csv", true, true},
        Variant{"plain-crlf.csv", false, true}}) {
    SCOPED_TRACE(variant.name);
    const std::string csv = TpchToCsv(tpch, variant.header, variant.crlf);
    ASSERT_NE(csv.find('"'), std::string::npos);  // some fields needed quoting
    Upload(variant.name, csv);
    auto partition = PartitionBlob(*blobs_, PartitionOf(variant.name, 7));
    ASSERT_TRUE(partition.ok()) << partition.status().ToString();
    EXPECT_EQ(partition->format, InputFormat::kCsv);
    EXPECT_EQ(partition->has_header, variant.header);
    for (const InputFormat format : {InputFormat::kAuto, InputFormat::kCsv}) {
      const MergeOutput merged = RunJob(PartitionOf(variant.name, 7, format));
      EXPECT_EQ(merged.result.format, InputFormat::kCsv);
      EXPECT_EQ(merged.result.header_skipped, variant.header);
      EXPECT_EQ(merged.result.rows, 3000);
      EXPECT_EQ(merged.result.rejected_rows, 0);
      EXPECT_EQ(merged.result.nations, reference.nations);
      EXPECT_EQ(merged.result, SinglePass(csv));
    }
  }
}

TEST_F(JobTest, EmptyBlobCompletesWithZeroRows) {
  const std::string etag = Upload("empty.tbl", "");
  const auto before = Counters();
  auto partition = PartitionBlob(*blobs_, PartitionOf("empty.tbl", 8));
  ASSERT_TRUE(partition.ok()) << partition.status().ToString();
  auto delta = Counters() - before;
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobProperties), 1u);
  EXPECT_EQ(delta.total_operations(), 1u);  // nothing to read
  EXPECT_EQ(partition->size, 0u);
  EXPECT_EQ(partition->etag, etag);
  EXPECT_EQ(partition->format, InputFormat::kTpch);
  EXPECT_FALSE(partition->has_header);
  ASSERT_EQ(partition->plan.chunks.size(), 1u);
  EXPECT_EQ(partition->plan.chunks[0], (ChunkRange{0, 0, 0}));

  auto inputs = MakeAggregateInputs(*partition, {});
  ASSERT_TRUE(inputs.ok());
  const auto before_aggregate = Counters();
  auto output = AggregateBlobChunk(*blobs_, inputs->at(0));
  ASSERT_TRUE(output.ok()) << output.status().ToString();
  delta = Counters() - before_aggregate;
  // No byte to read; one HEAD under If-Match proves the planned version is still there.
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobProperties), 1u);
  EXPECT_EQ(delta.total_operations(), 1u);
  EXPECT_EQ(output->bytes_downloaded, 0u);

  auto merged = MergeChunkPartials({1, {*output}, kDefaultRejectSamples});
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->result.rows, 0);
  EXPECT_EQ(merged->result.rejected_rows, 0);
  EXPECT_TRUE(merged->result.nations.empty());
  EXPECT_EQ(FormatMeanBalanceTable(merged->result), "nation  rows  mean\n");
}

TEST_F(JobTest, MergeTakesEachChunkOnceWhateverTheDeliveries) {
  const std::string file = ReadFileOrDie(SampleFilePath());
  Upload("sample.tbl", file);
  auto partition = PartitionBlob(*blobs_, PartitionOf("sample.tbl", 7));
  ASSERT_TRUE(partition.ok());
  const std::vector<AggregateOutput> once = AggregateAll(*partition);
  ASSERT_EQ(once.size(), 7u);
  auto exact = MergeChunkPartials({7, once, kDefaultRejectSamples});
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->result, SinglePass(file));

  // Every chunk delivered twice (the second time read again from storage), shuffled.
  MergeInput redelivered{7, once, kDefaultRejectSamples};
  for (const AggregateOutput& again : AggregateAll(*partition))
    redelivered.partials.push_back(again);
  std::mt19937 random(7);
  std::shuffle(redelivered.partials.begin(), redelivered.partials.end(), random);
  auto merged = MergeChunkPartials(redelivered);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->result, exact->result);
  EXPECT_EQ(merged->bytes_read, exact->bytes_read);
  EXPECT_EQ(merged->duplicates_ignored, 7u);

  // A chunk reported twice with different contents: nothing can say which one is right.
  MergeInput conflicting{7, once, kDefaultRejectSamples};
  AggregateOutput wrong = once[2];
  wrong.partial.nations.begin()->second.sum_cents += 1;
  conflicting.partials.push_back(wrong);
  auto refused = MergeChunkPartials(conflicting);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), storage::StatusCode::kCorruption);
  EXPECT_NE(refused.status().message().find("chunk " + std::to_string(wrong.chunk_index) + " "),
            std::string::npos)
      << refused.status().message();

  // Chunks 1 and 4 never arrived.
  MergeInput missing{7, {}, kDefaultRejectSamples};
  for (const AggregateOutput& output : once) {
    if (output.chunk_index != 1 && output.chunk_index != 4) missing.partials.push_back(output);
  }
  auto incomplete = MergeChunkPartials(missing);
  ASSERT_FALSE(incomplete.ok());
  EXPECT_TRUE(incomplete.status().IsInvalidArgument());
  EXPECT_NE(incomplete.status().message().find("2 of 7 chunks have no partial (chunk 1, 4)"),
            std::string::npos)
      << incomplete.status().message();
}

}  // namespace
}  // namespace fanfold::activities
