// JSON of the partition activity's input and output (see partition_activity.hpp).
#include <nlohmann/json.hpp>

#include "activities/activity_json.hpp"
#include "activities/partition_activity.hpp"

namespace fanfold::activities {

nlohmann::json PartitionInputToJsonValue(const PartitionInput& input) {
  return nlohmann::json{{"container", input.container},
                        {"blob", input.blob},
                        {"etag", input.expected_etag},
                        {"chunks", input.chunk_count},
                        {"chunk_bytes", input.chunk_bytes},
                        {"format", InputFormatName(input.format)},
                        {"max_file_bytes", input.max_file_bytes},
                        {"max_line_bytes", input.max_line_bytes}};
}

std::string PartitionInputToJson(const PartitionInput& input) {
  return PartitionInputToJsonValue(input).dump();
}

storage::Result<PartitionInput> PartitionInputFromJsonValue(const nlohmann::json& json) {
  PartitionInput input;
  std::uint64_t chunk_count = input.chunk_count;
  std::uint64_t max_line_bytes = input.max_line_bytes;
  JsonObjectReader reader(json, "partition input");
  reader.String("container", &input.container);
  reader.String("blob", &input.blob);
  reader.String("etag", &input.expected_etag, false);
  reader.Unsigned("chunks", &chunk_count, false, kMaxChunks);
  reader.Unsigned("chunk_bytes", &input.chunk_bytes, false);
  reader.Format("format", &input.format, false);
  reader.Unsigned("max_file_bytes", &input.max_file_bytes, false);
  reader.Unsigned("max_line_bytes", &max_line_bytes, false, kMaxMaxLineBytes);
  FANFOLD_RETURN_IF_ERROR(reader.Finish());
  input.chunk_count = static_cast<std::uint32_t>(chunk_count);
  input.max_line_bytes = static_cast<std::size_t>(max_line_bytes);
  return input;
}

storage::Result<PartitionInput> PartitionInputFromJson(std::string_view text) {
  auto json = ParseActivityJson(text, "partition input");
  if (!json.ok()) return json.status();
  return PartitionInputFromJsonValue(*json);
}

nlohmann::json PartitionOutputToJsonValue(const PartitionOutput& output) {
  return nlohmann::json{{"container", output.container},
                        {"blob", output.blob},
                        {"etag", output.etag},
                        {"size", output.size},
                        {"format", InputFormatName(output.format)},
                        {"header", output.has_header},
                        {"max_line_bytes", output.max_line_bytes},
                        {"plan", nlohmann::json::parse(ChunkPlanToJson(output.plan))}};
}

std::string PartitionOutputToJson(const PartitionOutput& output) {
  return PartitionOutputToJsonValue(output).dump();
}

storage::Result<PartitionOutput> PartitionOutputFromJsonValue(const nlohmann::json& json) {
  PartitionOutput output;
  std::uint64_t max_line_bytes = 0;
  JsonObjectReader reader(json, "partition output");
  reader.String("container", &output.container);
  reader.String("blob", &output.blob);
  reader.String("etag", &output.etag);
  reader.Unsigned("size", &output.size);
  reader.Format("format", &output.format);
  reader.Bool("header", &output.has_header);
  reader.Unsigned("max_line_bytes", &max_line_bytes, true, kMaxMaxLineBytes);
  const nlohmann::json* plan_json = reader.Value("plan");
  FANFOLD_RETURN_IF_ERROR(reader.Finish());
  output.max_line_bytes = static_cast<std::size_t>(max_line_bytes);
  if (output.etag.empty() || output.format == InputFormat::kAuto || output.max_line_bytes == 0) {
    return storage::Status::Corruption(
        "partition output JSON: needs an ETag, a concrete format and max_line_bytes >= 1");
  }
  auto plan = ChunkPlanFromJson(plan_json->dump());
  if (!plan.ok()) return plan.status();
  if (plan->file_size != output.size) {
    return storage::Status::Corruption("partition output JSON: the plan's size is not the blob's");
  }
  output.plan = std::move(plan).value();
  return output;
}

storage::Result<PartitionOutput> PartitionOutputFromJson(std::string_view text) {
  auto json = ParseActivityJson(text, "partition output");
  if (!json.ok()) return json.status();
  return PartitionOutputFromJsonValue(*json);
}

}  // namespace fanfold::activities
