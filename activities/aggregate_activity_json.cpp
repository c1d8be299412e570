// JSON of the aggregate activity's input and output (see aggregate_activity.hpp).
#include <nlohmann/json.hpp>

#include "activities/activity_json.hpp"
#include "activities/aggregate_activity.hpp"
#include "activities/chunk_partial_json.hpp"

namespace fanfold::activities {

nlohmann::json AggregateInputToJsonValue(const AggregateInput& input) {
  return nlohmann::json{{"container", input.container},
                        {"blob", input.blob},
                        {"etag", input.etag},
                        {"size", input.file_size},
                        {"format", InputFormatName(input.format)},
                        {"chunk", nlohmann::json::parse(ChunkRangeToJson(input.chunk))},
                        {"options", AggregateOptionsToJsonValue(input.options)}};
}

std::string AggregateInputToJson(const AggregateInput& input) {
  return AggregateInputToJsonValue(input).dump();
}

storage::Result<AggregateInput> AggregateInputFromJsonValue(const nlohmann::json& json) {
  AggregateInput input;
  JsonObjectReader reader(json, "aggregate input");
  reader.String("container", &input.container);
  reader.String("blob", &input.blob);
  reader.String("etag", &input.etag);
  reader.Unsigned("size", &input.file_size);
  reader.Format("format", &input.format);
  const nlohmann::json* chunk = reader.Value("chunk");
  const nlohmann::json* options = reader.Value("options", false);
  FANFOLD_RETURN_IF_ERROR(reader.Finish());
  auto range = ChunkRangeFromJson(chunk->dump());
  if (!range.ok()) return range.status();
  input.chunk = *range;
  if (options != nullptr) {
    auto parsed = AggregateOptionsFromJsonValue(*options);
    if (!parsed.ok()) return parsed.status();
    input.options = *parsed;
  }
  return input;
}

storage::Result<AggregateInput> AggregateInputFromJson(std::string_view text) {
  auto json = ParseActivityJson(text, "aggregate input");
  if (!json.ok()) return json.status();
  return AggregateInputFromJsonValue(*json);
}

nlohmann::json AggregateOutputToJsonValue(const AggregateOutput& output) {
  return nlohmann::json{{"chunk", output.chunk_index},
                        {"partial", ChunkPartialToJsonValue(output.partial)},
                        {"downloaded", output.bytes_downloaded},
                        {"ms", output.milliseconds}};
}

std::string AggregateOutputToJson(const AggregateOutput& output) {
  return AggregateOutputToJsonValue(output).dump();
}

storage::Result<AggregateOutput> AggregateOutputFromJsonValue(const nlohmann::json& json) {
  AggregateOutput output;
  std::uint64_t chunk_index = 0;
  JsonObjectReader reader(json, "aggregate output");
  reader.Unsigned("chunk", &chunk_index, true, kMaxChunks - 1);
  const nlohmann::json* partial = reader.Value("partial");
  reader.Unsigned("downloaded", &output.bytes_downloaded, false);
  reader.NonNegativeNumber("ms", &output.milliseconds, false);
  FANFOLD_RETURN_IF_ERROR(reader.Finish());
  output.chunk_index = static_cast<std::uint32_t>(chunk_index);
  // Through text: the partial's reader wants non-negative integers unsigned, as parsing makes
  // them, while a document built in memory holds them signed.
  auto parsed = ChunkPartialFromJson(partial->dump());
  if (!parsed.ok()) return parsed.status();
  output.partial = std::move(parsed).value();
  return output;
}

storage::Result<AggregateOutput> AggregateOutputFromJson(std::string_view text) {
  auto json = ParseActivityJson(text, "aggregate output");
  if (!json.ok()) return json.status();
  return AggregateOutputFromJsonValue(*json);
}

}  // namespace fanfold::activities
