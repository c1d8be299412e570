// JSON of the activities' inputs and outputs: round trips, defaults for absent optional fields,
// and strictness (unknown fields, wrong types, inconsistent results are Corruption naming them).
// Also the partition's header probe, checked against what chunk 0's aggregator decides.
#include "activities/activity_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "activities/aggregate_activity.hpp"
#include "activities/chunk_aggregator.hpp"
#include "activities/mean_balance_json.hpp"
#include "activities/merge_activity.hpp"
#include "activities/partition_activity.hpp"

namespace fanfold::activities {
namespace {

bool Mentions(const storage::Status& status, const std::string& text) {
  return status.message().find(text) != std::string::npos;
}

ChunkPartial SamplePartial() {
  ChunkPartial partial;
  partial.format = InputFormat::kCsv;
  partial.header_skipped = true;
  partial.rows = 3;
  partial.empty_lines = 1;
  partial.bytes_read = 321;
  partial.nations[2] = {150, 2};
  partial.nations[9] = {-7, 1};
  partial.reject(RejectReason::kFieldCount) = {2, {10, 40}};
  return partial;
}

TEST(ActivityJsonTest, PartitionInputRoundTripsAndDefaultsAbsentFields) {
  PartitionInput input;
  input.container = "jobs";
  input.blob = "dir/customer.tbl";
  input.expected_etag = "\"0x8D1\"";
  input.chunk_count = 16;
  input.format = InputFormat::kCsv;
  input.max_file_bytes = 12345;
  input.max_line_bytes = 4096;
  auto parsed = PartitionInputFromJson(PartitionInputToJson(input));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(PartitionInputToJson(*parsed), PartitionInputToJson(input));

  parsed = PartitionInputFromJson(R"({"container":"c","blob":"b"})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->expected_etag, "");
  EXPECT_EQ(parsed->chunk_count, 0u);
  EXPECT_EQ(parsed->chunk_bytes, 0u);
  EXPECT_EQ(parsed->format, InputFormat::kAuto);
  EXPECT_EQ(parsed->max_file_bytes, kDefaultMaxFileBytes);
  EXPECT_EQ(parsed->max_line_bytes, kDefaultMaxLineBytes);
}

TEST(ActivityJsonTest, ReadersAreStrict) {
  auto parsed = PartitionInputFromJson(R"({"container":"c","blob":"b","chunk":4})");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), storage::StatusCode::kCorruption);
  EXPECT_TRUE(Mentions(parsed.status(), "partition input JSON: unknown field \"chunk\""))
      << parsed.status().message();

  parsed = PartitionInputFromJson(R"({"container":"c","blob":"b","chunks":"4"})");
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(Mentions(parsed.status(), "field \"chunks\" is not a non-negative integer"));
  parsed = PartitionInputFromJson(R"({"container":"c","blob":"b","chunks":100001})");
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(Mentions(parsed.status(), "field \"chunks\" exceeds 10000"));
  parsed = PartitionInputFromJson(R"({"container":"c","blob":"b","format":"parquet"})");
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(Mentions(parsed.status(), "field \"format\" is not one of auto, tpch, csv"));
  parsed = PartitionInputFromJson(R"({"blob":"b"})");
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(Mentions(parsed.status(), "field \"container\" is missing"));
  parsed = PartitionInputFromJson("[1,2]");
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(Mentions(parsed.status(), "not an object"));
  parsed = PartitionInputFromJson("{");
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(Mentions(parsed.status(), "not valid JSON"));

  auto options = AggregateOptionsFromJsonValue(nlohmann::json{{"max_line_byte", 10}});
  ASSERT_FALSE(options.ok());
  EXPECT_TRUE(Mentions(options.status(), "unknown field \"max_line_byte\""));
}

TEST(ActivityJsonTest, PartitionOutputRoundTripsAndIsValidated) {
  PartitionOutput output;
  output.container = "jobs";
  output.blob = "customer.tbl";
  output.etag = "\"0x8D2\"";
  output.size = 1000;
  output.format = InputFormat::kCsv;
  output.has_header = true;
  output.max_line_bytes = 2048;
  auto plan = PlanChunks(1000, 3);
  ASSERT_TRUE(plan.ok());
  output.plan = *plan;
  auto parsed = PartitionOutputFromJson(PartitionOutputToJson(output));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, output);

  nlohmann::json json = PartitionOutputToJsonValue(output);
  json["size"] = 999;  // the plan covers 1000 bytes
  EXPECT_FALSE(PartitionOutputFromJsonValue(json).ok());
  json = PartitionOutputToJsonValue(output);
  json["format"] = "auto";  // aggregates need a concrete format
  EXPECT_FALSE(PartitionOutputFromJsonValue(json).ok());
  json = PartitionOutputToJsonValue(output);
  json["etag"] = "";
  EXPECT_FALSE(PartitionOutputFromJsonValue(json).ok());
}

TEST(ActivityJsonTest, AggregateInputsComeFromThePartitionAndRoundTrip) {
  PartitionOutput partition;
  partition.container = "jobs";
  partition.blob = "customer.tbl";
  partition.etag = "\"0x8D3\"";
  partition.size = 100;
  partition.format = InputFormat::kTpch;
  partition.plan = *PlanChunks(100, 4);
  AggregateOptions options;
  options.nation_keys = {1, 30};
  options.reject_samples = 9;
  auto inputs = MakeAggregateInputs(partition, options);
  ASSERT_TRUE(inputs.ok());
  ASSERT_EQ(inputs->size(), 4u);
  const AggregateInput& input = inputs->at(2);
  EXPECT_EQ(input.etag, partition.etag);
  EXPECT_EQ(input.file_size, 100u);
  EXPECT_EQ(input.format, InputFormat::kTpch);
  EXPECT_EQ(input.chunk, (ChunkRange{2, 50, 75}));

  auto parsed = AggregateInputFromJson(AggregateInputToJson(input));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(AggregateInputToJson(*parsed), AggregateInputToJson(input));
  EXPECT_EQ(parsed->options.nation_keys.min, 1);
  EXPECT_EQ(parsed->options.nation_keys.max, 30);
  EXPECT_EQ(parsed->options.reject_samples, 9u);

  // Options may be omitted (all defaults); the chunk may not.
  parsed = AggregateInputFromJson(
      R"({"container":"c","blob":"b","etag":"e","size":10,"format":"csv","chunk":{"i":0,"b":0,"e":10}})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->options.max_line_bytes, kDefaultMaxLineBytes);
  EXPECT_FALSE(
      AggregateInputFromJson(R"({"container":"c","blob":"b","etag":"e","size":10,"format":"csv"})")
          .ok());
}

TEST(ActivityJsonTest, AggregateOutputRoundTrips) {
  AggregateOutput output{5, SamplePartial(), 4096, 12.5};
  auto parsed = AggregateOutputFromJson(AggregateOutputToJson(output));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, output);
  EXPECT_FALSE(AggregateOutputFromJson(R"({"chunk":100000,"partial":{}})").ok());
  // A corrupt partial inside is reported by the partial's reader.
  nlohmann::json json = AggregateOutputToJsonValue(output);
  json["partial"]["rows"] = 4;  // per-nation rows add up to 3
  EXPECT_FALSE(AggregateOutputFromJsonValue(json).ok());
}

TEST(ActivityJsonTest, MergeInputAndOutputRoundTrip) {
  MergeInput input{2, {{0, SamplePartial(), 10, 1.0}, {1, ChunkPartial{}, 0, 0.25}}, 7};
  input.partials[1].partial.format = InputFormat::kCsv;
  auto parsed = MergeInputFromJson(MergeInputToJson(input));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->chunk_count, 2u);
  EXPECT_EQ(parsed->reject_samples, 7u);
  EXPECT_EQ(parsed->partials, input.partials);

  auto merged = MergeChunkPartials(*parsed);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  auto output = MergeOutputFromJson(MergeOutputToJson(*merged));
  ASSERT_TRUE(output.ok()) << output.status().ToString();
  EXPECT_EQ(*output, *merged);
  EXPECT_EQ(output->result.nations.size(), 2u);
  EXPECT_EQ(output->result.nations[0].mean(), "0.75");
  EXPECT_EQ(output->result.rejects[RejectReasonIndex(RejectReason::kFieldCount)].first_offsets,
            (std::vector<std::uint64_t>{10, 40}));
}

TEST(ActivityJsonTest, AResultWhoseNumbersDisagreeIsRefused) {
  ChunkPartial merged = SamplePartial();
  merged.nations[3] = {(static_cast<CentsSum>(1) << 100), 1ll << 40};  // a sum beyond int64
  merged.rows += 1ll << 40;
  const MeanBalanceResult result = ComputeMeanBalances(merged);
  const nlohmann::json json = MeanBalanceResultToJsonValue(result);
  ASSERT_TRUE(json["nations"][1]["sum_cents"].is_string());
  auto parsed = MeanBalanceResultFromJsonValue(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, result);

  nlohmann::json tampered = json;
  tampered["nations"][0]["mean"] = "75.01";
  auto refused = MeanBalanceResultFromJsonValue(tampered);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(Mentions(refused.status(), "the mean of nation 2 is not its sum divided by its rows"))
      << refused.status().message();
  tampered = json;
  tampered["rejected"] = 3;
  EXPECT_FALSE(MeanBalanceResultFromJsonValue(tampered).ok());
  tampered = json;
  tampered["rows"] = 2;
  EXPECT_FALSE(MeanBalanceResultFromJsonValue(tampered).ok());
  tampered = json;
  tampered["nations"][0]["extra"] = 1;
  EXPECT_FALSE(MeanBalanceResultFromJsonValue(tampered).ok());
}

TEST(HeadStartsWithHeaderTest, AgreesWithChunkZerosAggregator) {
  const std::string header = "c_custkey,c_name,c_address,c_nationkey,c_phone,c_acctbal,s,c";
  const std::string row = "1,a,b,3,p,1.00,m,c";
  const std::vector<std::string> files = {
      "",
      "\n" + header + "\n",
      header,
      header + "\n" + row + "\n",
      header + "\r\n" + row + "\r\n",
      "\xEF\xBB\xBF" + header + "\n" + row,
      row + "\n" + header + "\n",
      "1|Customer#1|addr|3|phone|1.00|seg|comment|\n",
      "c_custkey|c_name|c_address|c_nationkey|c_phone|c_acctbal|s|c|\n",
      std::string(70, 'x') + "\n" + row,
  };
  for (const std::size_t max_line_bytes : {std::size_t{64}, kDefaultMaxLineBytes}) {
    for (const std::string& file : files) {
      SCOPED_TRACE(file + " / max " + std::to_string(max_line_bytes));
      const std::string_view head =
          std::string_view(file).substr(0, std::min(file.size(), max_line_bytes + 1));
      const InputFormat format = DetectInputFormat(head, max_line_bytes);
      AggregateOptions options;
      options.max_line_bytes = max_line_bytes;
      auto partial = AggregateChunkInMemory(file, {0, 0, file.size()}, format, options);
      ASSERT_TRUE(partial.ok());
      EXPECT_EQ(HeadStartsWithHeader(head, format, max_line_bytes), partial->header_skipped);
    }
  }
  // A header longer than max_line_bytes is rejected unread, so it is no header.
  const std::string head = header.substr(0, 41);
  EXPECT_FALSE(HeadStartsWithHeader(head, InputFormat::kCsv, 40));
  EXPECT_TRUE(HeadStartsWithHeader(header + "\n", InputFormat::kCsv, kDefaultMaxLineBytes));
}

}  // namespace
}  // namespace fanfold::activities
