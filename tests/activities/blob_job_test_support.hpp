// Helpers of the activities' integration tests: a fixture with its own container and private
// counters (so counter deltas are exact), the job run end to end the way a pipeline runs it
// (partition, aggregate every chunk, merge), and text conversions of the TPC-H sample to CSV.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "activities/aggregate_activity.hpp"
#include "activities/merge_activity.hpp"
#include "activities/partition_activity.hpp"
#include "storage/blob/blob_service_client.hpp"
#include "storage/counters.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::activities::testing_util {

class BlobJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::PipelineOptions options;
    options.counters = &counters_;
    options.retry.initial_delay = std::chrono::milliseconds(1);
    options.retry.max_delay = std::chrono::milliseconds(5);
    blobs_ = std::make_unique<storage::BlobServiceClient>(fanfold::testing::TestAccount(), options);
    container_ = fanfold::testing::UniqueName("jobs");
    const storage::Status created = blobs_->GetContainerClient(container_).Create();
    ASSERT_TRUE(created.ok()) << created.ToString();
    counters_.Reset();
  }
  void TearDown() override {
    if (blobs_) (void)blobs_->GetContainerClient(container_).DeleteIfExists();
  }

  storage::BlobClient blob(const std::string& name) const {
    return blobs_->GetContainerClient(container_).GetBlobClient(name);
  }
  storage::CounterSnapshot Counters() const { return counters_.Snapshot(); }

  // Uploads `content` as `name` and returns its ETag (empty, with a test failure, on error).
  std::string Upload(const std::string& name, std::string content) {
    auto uploaded = blob(name).Upload(std::move(content));
    EXPECT_TRUE(uploaded.ok()) << uploaded.status().ToString();
    return uploaded.ok() ? uploaded->etag : std::string();
  }

  PartitionInput PartitionOf(const std::string& name, std::uint32_t chunks,
                             InputFormat format = InputFormat::kAuto) const {
    PartitionInput input;
    input.container = container_;
    input.blob = name;
    input.chunk_count = chunks;
    input.format = format;
    return input;
  }

  // Aggregates every chunk of `partition` (in reverse plan order, to show order does not matter).
  std::vector<AggregateOutput> AggregateAll(const PartitionOutput& partition,
                                            const AggregateOptions& options = {}) {
    std::vector<AggregateOutput> outputs;
    auto inputs = MakeAggregateInputs(partition, options);
    EXPECT_TRUE(inputs.ok()) << inputs.status().ToString();
    if (!inputs.ok()) return outputs;
    for (auto input = inputs->rbegin(); input != inputs->rend(); ++input) {
      auto output = AggregateBlobChunk(*blobs_, *input);
      EXPECT_TRUE(output.ok()) << output.status().ToString();
      if (output.ok()) outputs.push_back(std::move(output).value());
    }
    return outputs;
  }

  // partition -> aggregate every chunk -> merge, failing the test on any error.
  MergeOutput RunJob(const PartitionInput& input, const AggregateOptions& options = {}) {
    auto partition = PartitionBlob(*blobs_, input);
    EXPECT_TRUE(partition.ok()) << partition.status().ToString();
    if (!partition.ok()) return {};
    MergeInput merge;
    merge.chunk_count = static_cast<std::uint32_t>(partition->plan.chunks.size());
    merge.partials = AggregateAll(*partition, options);
    merge.reject_samples = options.reject_samples;
    auto merged = MergeChunkPartials(merge);
    EXPECT_TRUE(merged.ok()) << merged.status().ToString();
    return merged.ok() ? std::move(merged).value() : MergeOutput{};
  }

  storage::StorageCounters counters_;
  std::unique_ptr<storage::BlobServiceClient> blobs_;
  std::string container_;
};

// Well-formed TPC-H text as RFC 4180 CSV: the trailing '|' dropped, fields holding ',' or '"'
// quoted (TPC-H addresses and comments do hold commas), an optional header line, and LF or CRLF.
inline std::string TpchToCsv(const std::string& tpch, bool header, bool crlf) {
  const char* end_of_line = crlf ? "\r\n" : "\n";
  std::string csv;
  if (header) {
    csv += "c_custkey,c_name,c_address,c_nationkey,c_phone,c_acctbal,c_mktsegment,c_comment";
    csv += end_of_line;
  }
  std::size_t line_start = 0;
  while (line_start < tpch.size()) {
    std::size_t line_end = tpch.find('\n', line_start);
    if (line_end == std::string::npos) line_end = tpch.size();
    std::string_view line(tpch.data() + line_start, line_end - line_start);
    if (!line.empty() && line.back() == '|') line.remove_suffix(1);
    std::size_t field_start = 0;
    bool first = true;
    while (field_start <= line.size()) {
      std::size_t field_end = line.find('|', field_start);
      if (field_end == std::string_view::npos) field_end = line.size();
      const std::string_view field = line.substr(field_start, field_end - field_start);
      if (!first) csv += ',';
      first = false;
      if (field.find_first_of(",\"") == std::string_view::npos) {
        csv += field;
      } else {
        csv += '"';
        for (const char c : field) {
          if (c == '"') csv += '"';
          csv += c;
        }
        csv += '"';
      }
      field_start = field_end + 1;
    }
    csv += end_of_line;
    line_start = line_end + 1;
  }
  return csv;
}

}  // namespace fanfold::activities::testing_util
