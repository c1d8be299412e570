// JSON of the merge activity's input and output (see merge_activity.hpp).
#include <nlohmann/json.hpp>

#include "activities/activity_json.hpp"
#include "activities/mean_balance_json.hpp"
#include "activities/merge_activity.hpp"

namespace fanfold::activities {

nlohmann::json MergeInputToJsonValue(const MergeInput& input) {
  nlohmann::json partials = nlohmann::json::array();
  for (const AggregateOutput& partial : input.partials) {
    partials.push_back(AggregateOutputToJsonValue(partial));
  }
  return nlohmann::json{{"chunks", input.chunk_count},
                        {"reject_samples", input.reject_samples},
                        {"partials", std::move(partials)}};
}

std::string MergeInputToJson(const MergeInput& input) {
  return MergeInputToJsonValue(input).dump();
}

storage::Result<MergeInput> MergeInputFromJsonValue(const nlohmann::json& json) {
  MergeInput input;
  std::uint64_t chunk_count = 0;
  std::uint64_t reject_samples = input.reject_samples;
  JsonObjectReader reader(json, "merge input");
  reader.Unsigned("chunks", &chunk_count, true, kMaxChunks);
  reader.Unsigned("reject_samples", &reject_samples, false);
  const nlohmann::json* partials = reader.Value("partials");
  FANFOLD_RETURN_IF_ERROR(reader.Finish());
  if (!partials->is_array()) {
    return storage::Status::Corruption("merge input JSON: field \"partials\" is not an array");
  }
  input.chunk_count = static_cast<std::uint32_t>(chunk_count);
  input.reject_samples = static_cast<std::size_t>(reject_samples);
  input.partials.reserve(partials->size());
  for (const nlohmann::json& partial : *partials) {
    auto parsed = AggregateOutputFromJsonValue(partial);
    if (!parsed.ok()) return parsed.status();
    input.partials.push_back(std::move(parsed).value());
  }
  return input;
}

storage::Result<MergeInput> MergeInputFromJson(std::string_view text) {
  auto json = ParseActivityJson(text, "merge input");
  if (!json.ok()) return json.status();
  return MergeInputFromJsonValue(*json);
}

nlohmann::json MergeOutputToJsonValue(const MergeOutput& output) {
  return nlohmann::json{{"chunks", output.chunk_count},
                        {"duplicates", output.duplicates_ignored},
                        {"bytes_read", output.bytes_read},
                        {"bytes_downloaded", output.bytes_downloaded},
                        {"aggregate_ms", output.aggregate_milliseconds},
                        {"result", MeanBalanceResultToJsonValue(output.result)}};
}

std::string MergeOutputToJson(const MergeOutput& output) {
  return MergeOutputToJsonValue(output).dump();
}

storage::Result<MergeOutput> MergeOutputFromJsonValue(const nlohmann::json& json) {
  MergeOutput output;
  std::uint64_t chunk_count = 0;
  std::uint64_t duplicates = 0;
  JsonObjectReader reader(json, "merge output");
  reader.Unsigned("chunks", &chunk_count, true, kMaxChunks);
  reader.Unsigned("duplicates", &duplicates, true, std::numeric_limits<std::uint32_t>::max());
  reader.Unsigned("bytes_read", &output.bytes_read);
  reader.Unsigned("bytes_downloaded", &output.bytes_downloaded);
  reader.NonNegativeNumber("aggregate_ms", &output.aggregate_milliseconds);
  const nlohmann::json* result = reader.Value("result");
  FANFOLD_RETURN_IF_ERROR(reader.Finish());
  output.chunk_count = static_cast<std::uint32_t>(chunk_count);
  output.duplicates_ignored = static_cast<std::uint32_t>(duplicates);
  auto parsed = MeanBalanceResultFromJsonValue(*result);
  if (!parsed.ok()) return parsed.status();
  output.result = std::move(parsed).value();
  return output;
}

storage::Result<MergeOutput> MergeOutputFromJson(std::string_view text) {
  auto json = ParseActivityJson(text, "merge output");
  if (!json.ok()) return json.status();
  return MergeOutputFromJsonValue(*json);
}

}  // namespace fanfold::activities
