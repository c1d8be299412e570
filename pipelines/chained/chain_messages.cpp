#include "pipelines/chained/chain_messages.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "activities/activity_json.hpp"
#include "activities/limits.hpp"
#include "storage/utf8_text.hpp"

namespace fanfold::pipelines::chained {
namespace {

using nlohmann::json;
using storage::Result;
using storage::Status;

// Error texts come from services and files: never let a stray byte make dump() throw.
std::string Dump(const json& value) {
  return value.dump(-1, ' ', true, json::error_handler_t::replace);
}

constexpr std::uint64_t kMaxAttempts = 100;

// Written around a group's entries (each already JSON text).
constexpr char kGroupHead[] = "{\"kind\":\"group\",\"partials\":[";
constexpr char kGroupTail[] = "]}";

Result<PartialMessage> PartialFromJsonValue(const json& parsed) {
  PartialMessage message;
  std::string kind;
  std::uint64_t chunk = 0;
  activities::JsonObjectReader reader(parsed, "partial message");
  reader.String("kind", &kind);
  reader.Unsigned("chunk", &chunk, true, activities::kMaxChunks - 1);
  const json* output = reader.Value("output", false);
  reader.String("blob", &message.blob, false);
  reader.String("error", &message.error, false);
  FANFOLD_RETURN_IF_ERROR(reader.Finish());
  message.chunk = static_cast<std::uint32_t>(chunk);
  if (kind == "failed") {
    if (output != nullptr || !message.blob.empty()) {
      return Status::Corruption("partial message: a failure marker carries no partial");
    }
    message.failed = true;
    return message;
  }
  if (kind != "partial" || (output == nullptr) == message.blob.empty()) {
    return Status::Corruption(
        "partial message: kind must be \"partial\" (with exactly one of output and blob) or "
        "\"failed\"");
  }
  if (output != nullptr) {
    auto aggregate = activities::AggregateOutputFromJsonValue(*output);
    if (!aggregate.ok()) return aggregate.status();
    if (aggregate->chunk_index != message.chunk) {
      return Status::Corruption("partial message: chunk " + std::to_string(message.chunk) +
                                " carries the output of chunk " +
                                std::to_string(aggregate->chunk_index));
    }
    message.output = std::move(aggregate).value();
  }
  return message;
}

}  // namespace

std::string ShortError(std::string_view error) {
  return storage::TruncateUtf8(error, kMaxErrorChars);
}

std::string ChunkMessageToJson(const ChunkMessage& message) {
  json inputs = json::array();
  for (const auto& input : message.inputs)
    inputs.push_back(activities::AggregateInputToJsonValue(input));
  json value{{"job", message.job},
             {"partials_queue", message.partials_queue},
             {"chunks", message.chunks},
             {"max_attempts", message.max_attempts},
             {"inputs", std::move(inputs)}};
  if (message.merge_inline) value["merge_inline"] = true;
  return Dump(value);
}

Result<ChunkMessage> ChunkMessageFromJson(std::string_view text) {
  auto parsed = activities::ParseActivityJson(text, "chunk message");
  if (!parsed.ok()) return parsed.status();
  ChunkMessage message;
  std::uint64_t chunks = 0;
  std::uint64_t attempts = 1;
  activities::JsonObjectReader reader(*parsed, "chunk message");
  reader.String("job", &message.job);
  reader.String("partials_queue", &message.partials_queue);
  reader.Unsigned("chunks", &chunks, true, activities::kMaxChunks);
  reader.Unsigned("max_attempts", &attempts, true, kMaxAttempts);
  reader.Bool("merge_inline", &message.merge_inline, false);
  const json* inputs = reader.Value("inputs", false);
  const json* single = reader.Value("input", false);  // a message of before the groups
  FANFOLD_RETURN_IF_ERROR(reader.Finish());
  if ((inputs == nullptr) == (single == nullptr) ||
      (inputs != nullptr && (!inputs->is_array() || inputs->empty()))) {
    return Status::Corruption(
        "chunk message: exactly one of \"inputs\" (a non-empty array) and \"input\"");
  }
  std::set<std::uint32_t> seen;
  for (const json& one : inputs != nullptr ? *inputs : json::array({*single})) {
    auto input = activities::AggregateInputFromJsonValue(one);
    if (!input.ok()) return input.status();
    if (input->chunk.index >= chunks || !seen.insert(input->chunk.index).second) {
      return Status::Corruption("chunk message: chunk " + std::to_string(input->chunk.index) +
                                " is twice in the message or not below chunks");
    }
    message.inputs.push_back(std::move(input).value());
  }
  if (message.job.empty() || message.partials_queue.empty() || chunks == 0 || attempts == 0) {
    return Status::Corruption(
        "chunk message: job and partials_queue must be set, chunks and max_attempts at least 1");
  }
  if (message.merge_inline && message.inputs.size() != chunks) {
    return Status::Corruption("chunk message: merge_inline needs every chunk of the job (" +
                              std::to_string(chunks) + "), not " +
                              std::to_string(message.inputs.size()));
  }
  message.chunks = static_cast<std::uint32_t>(chunks);
  message.max_attempts = static_cast<int>(attempts);
  return message;
}

std::string MergeMessageToJson(const MergeMessage& message) {
  json value{
      {"job", message.job}, {"chunks", message.chunks}, {"partials_queue", message.partials_queue}};
  if (message.messages != 0) value["messages"] = message.messages;
  return Dump(value);
}

Result<MergeMessage> MergeMessageFromJson(std::string_view text) {
  auto parsed = activities::ParseActivityJson(text, "merge message");
  if (!parsed.ok()) return parsed.status();
  MergeMessage message;
  std::uint64_t chunks = 0;
  activities::JsonObjectReader reader(*parsed, "merge message");
  reader.String("job", &message.job);
  reader.Unsigned("chunks", &chunks, true, activities::kMaxChunks);
  reader.String("partials_queue", &message.partials_queue);
  std::uint64_t messages = 0;
  reader.Unsigned("messages", &messages, false, activities::kMaxChunks);
  FANFOLD_RETURN_IF_ERROR(reader.Finish());
  if (message.job.empty() || message.partials_queue.empty() || chunks == 0 || messages > chunks) {
    return Status::Corruption(
        "merge message: job and partials_queue must be set, chunks at least 1 and messages at "
        "most chunks");
  }
  message.chunks = static_cast<std::uint32_t>(chunks);
  message.messages = static_cast<std::uint32_t>(messages);
  return message;
}

std::string InlinePartialToJson(const activities::AggregateOutput& output) {
  return Dump(json{{"kind", "partial"},
                   {"chunk", output.chunk_index},
                   {"output", activities::AggregateOutputToJsonValue(output)}});
}

std::string SpilledPartialToJson(std::uint32_t chunk, const std::string& blob) {
  return Dump(json{{"kind", "partial"}, {"chunk", chunk}, {"blob", blob}});
}

std::string FailureMarkerToJson(std::uint32_t chunk, std::string_view error) {
  return Dump(json{{"kind", "failed"}, {"chunk", chunk}, {"error", ShortError(error)}});
}

std::string PartialGroupToJson(const std::vector<std::string>& entries) {
  std::string text = kGroupHead;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i != 0) text += ',';
    text += entries[i];
  }
  return text + kGroupTail;
}

std::size_t PartialGroupBytes(std::size_t entries, std::size_t total_bytes) {
  const std::size_t commas = entries == 0 ? 0 : entries - 1;
  return std::string_view(kGroupHead).size() + total_bytes + commas +
         std::string_view(kGroupTail).size();
}

Result<std::vector<PartialMessage>> PartialMessagesFromJson(std::string_view text) {
  auto parsed = activities::ParseActivityJson(text, "partial message");
  if (!parsed.ok()) return parsed.status();
  std::vector<PartialMessage> entries;
  if (!parsed->is_object() || parsed->value("kind", json()) != "group") {
    auto one = PartialFromJsonValue(*parsed);
    if (!one.ok()) return one.status();
    entries.push_back(std::move(one).value());
    return entries;
  }
  std::string kind;
  activities::JsonObjectReader reader(*parsed, "partial group");
  reader.String("kind", &kind);
  const json* partials = reader.Value("partials");
  FANFOLD_RETURN_IF_ERROR(reader.Finish());
  if (!partials->is_array() || partials->empty()) {
    return Status::Corruption("partial group: \"partials\" must be a non-empty array");
  }
  for (const json& value : *partials) {
    auto one = PartialFromJsonValue(value);
    if (!one.ok()) return one.status();
    entries.push_back(std::move(one).value());
  }
  return entries;
}

Result<PartialMessage> PartialMessageFromJson(std::string_view text) {
  auto parsed = activities::ParseActivityJson(text, "partial message");
  if (!parsed.ok()) return parsed.status();
  return PartialFromJsonValue(*parsed);
}

}  // namespace fanfold::pipelines::chained
