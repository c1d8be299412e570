#include "pipelines/chained/chain_messages.hpp"

#include <nlohmann/json.hpp>

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

}  // namespace

std::string ShortError(std::string_view error) {
  return storage::TruncateUtf8(error, kMaxErrorChars);
}

std::string ChunkMessageToJson(const ChunkMessage& message) {
  return Dump(json{{"job", message.job},
                   {"partials_queue", message.partials_queue},
                   {"chunks", message.chunks},
                   {"max_attempts", message.max_attempts},
                   {"input", activities::AggregateInputToJsonValue(message.input)}});
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
  const json* input = reader.Value("input");
  FANFOLD_RETURN_IF_ERROR(reader.Finish());
  auto aggregate_input = activities::AggregateInputFromJsonValue(*input);
  if (!aggregate_input.ok()) return aggregate_input.status();
  if (message.job.empty() || message.partials_queue.empty() || chunks == 0 || attempts == 0 ||
      aggregate_input->chunk.index >= chunks) {
    return Status::Corruption(
        "chunk message: job and partials_queue must be set, chunks and max_attempts at least 1, "
        "and the chunk's index below chunks");
  }
  message.chunks = static_cast<std::uint32_t>(chunks);
  message.max_attempts = static_cast<int>(attempts);
  message.input = std::move(aggregate_input).value();
  return message;
}

std::string MergeMessageToJson(const MergeMessage& message) {
  return Dump(json{{"job", message.job},
                   {"chunks", message.chunks},
                   {"partials_queue", message.partials_queue}});
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
  FANFOLD_RETURN_IF_ERROR(reader.Finish());
  if (message.job.empty() || message.partials_queue.empty() || chunks == 0) {
    return Status::Corruption(
        "merge message: job and partials_queue must be set and chunks at least 1");
  }
  message.chunks = static_cast<std::uint32_t>(chunks);
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

Result<PartialMessage> PartialMessageFromJson(std::string_view text) {
  auto parsed = activities::ParseActivityJson(text, "partial message");
  if (!parsed.ok()) return parsed.status();
  PartialMessage message;
  std::string kind;
  std::uint64_t chunk = 0;
  activities::JsonObjectReader reader(*parsed, "partial message");
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

}  // namespace fanfold::pipelines::chained
