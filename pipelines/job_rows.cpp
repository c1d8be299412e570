#include "pipelines/job_rows.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "storage/utf8_text.hpp"

namespace fanfold::pipelines {
namespace {

using tablestore::EdmDateTime;
using tablestore::Entity;

constexpr std::size_t kStringPartChars = 32000;

std::string StringOr(const Entity& entity, std::string_view name, std::string fallback = {}) {
  const auto* value = entity.Find(name);
  if (value == nullptr) return fallback;
  auto text = value->As<std::string>();
  return text.ok() ? *text : fallback;
}

std::int64_t IntOr(const Entity& entity, std::string_view name, std::int64_t fallback = 0) {
  const auto* value = entity.Find(name);
  if (value == nullptr) return fallback;
  if (auto wide = value->As<std::int64_t>(); wide.ok()) return *wide;
  if (auto narrow = value->As<std::int32_t>(); narrow.ok()) return *narrow;
  return fallback;
}

double DoubleOr(const Entity& entity, std::string_view name) {
  const auto* value = entity.Find(name);
  if (value == nullptr) return 0;
  auto number = value->As<double>();
  return number.ok() ? *number : 0;
}

std::optional<EdmDateTime> TimeOr(const Entity& entity, std::string_view name) {
  const auto* value = entity.Find(name);
  if (value == nullptr) return std::nullopt;
  auto time = value->As<EdmDateTime>();
  if (!time.ok()) return std::nullopt;
  return *time;
}

void SetTime(Entity& entity, const char* name, const std::optional<EdmDateTime>& time) {
  if (time) entity.Set(name, *time);
}

std::string JoinIndices(const std::vector<std::uint32_t>& indices) {
  std::string text;
  for (const auto index : indices) {
    if (!text.empty()) text.push_back(',');
    text += std::to_string(index);
  }
  return text;
}

std::vector<std::uint32_t> SplitIndices(std::string_view text) {
  std::vector<std::uint32_t> indices;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    std::uint32_t index = 0;
    const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), index);
    if (error == std::errc() && end == item.data() + item.size()) indices.push_back(index);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return indices;
}

}  // namespace

const char* JobStateName(JobState state) {
  switch (state) {
    case JobState::kQueued:
      return "Queued";
    case JobState::kRunning:
      return "Running";
    case JobState::kCompleted:
      return "Completed";
    case JobState::kFailed:
      return "Failed";
    case JobState::kRefused:
      return "Refused";
  }
  return "Unknown";
}

std::optional<JobState> ParseJobState(std::string_view text) {
  for (const JobState state : {JobState::kQueued, JobState::kRunning, JobState::kCompleted,
                               JobState::kFailed, JobState::kRefused}) {
    if (text == JobStateName(state)) return state;
  }
  return std::nullopt;
}

const char* ChunkStateName(ChunkState state) {
  switch (state) {
    case ChunkState::kRunning:
      return "Running";
    case ChunkState::kRetrying:
      return "Retrying";
    case ChunkState::kDone:
      return "Done";
    case ChunkState::kFailed:
      return "Failed";
  }
  return "Unknown";
}

std::optional<ChunkState> ParseChunkState(std::string_view text) {
  for (const ChunkState state :
       {ChunkState::kRunning, ChunkState::kRetrying, ChunkState::kDone, ChunkState::kFailed}) {
    if (text == ChunkStateName(state)) return state;
  }
  return std::nullopt;
}

double JobRow::ElapsedSeconds(EdmDateTime now) const {
  const auto from = created ? created : started;
  if (!from) return 0;
  const EdmDateTime to = finished ? *finished : now;
  return std::chrono::duration<double>(to - *from).count();
}

nlohmann::json JobRow::EndLogFields() const {
  nlohmann::json fields = {{"job", job}, {"pipeline", pipeline}, {"file", File()}};
  if (finished) fields["duration_ms"] = ElapsedSeconds(*finished) * 1000.0;
  return fields;
}

std::string ChunkRowKey(std::uint32_t index) {
  char key[16];
  std::snprintf(key, sizeof key, "chunk-%05u", index);
  return key;
}

storage::Status SetLongString(Entity& entity, const std::string& name, std::string_view text) {
  if (text.size() > kMaxLongStringChars) {
    return storage::Status::InvalidArgument(name + " is " + std::to_string(text.size()) +
                                            " characters; a table row holds at most " +
                                            std::to_string(kMaxLongStringChars));
  }
  if (!storage::IsValidUtf8(text)) {
    return storage::Status::InvalidArgument(name + " is not valid UTF-8");
  }
  std::size_t part = 0;
  do {
    const std::string key = part == 0 ? name : name + "_" + std::to_string(part);
    // Each part is a string of its own, so none may end inside a character.
    const std::size_t length = storage::Utf8PrefixLength(text, kStringPartChars);
    entity.Set(key, std::string(text.substr(0, length)));
    text.remove_prefix(length);
    ++part;
  } while (!text.empty());
  return storage::Status::Ok();
}

std::string GetLongString(const Entity& entity, const std::string& name) {
  std::string text = StringOr(entity, name);
  for (std::size_t part = 1;; ++part) {
    const auto* value = entity.Find(name + "_" + std::to_string(part));
    if (value == nullptr) break;
    auto piece = value->As<std::string>();
    if (!piece.ok()) break;
    text += *piece;
  }
  return text;
}

Entity JobRowToEntity(const JobRow& row) {
  Entity entity(row.job, std::string(kJobRowKey));
  entity.Set("Pipeline", row.pipeline);
  entity.Set("Container", row.container);
  entity.Set("Blob", row.blob);
  entity.Set("BlobETag", row.blob_etag);
  if (!row.tenant.empty()) entity.Set("Tenant", row.tenant);
  entity.Set("Size", row.size);
  entity.Set("State", JobStateName(row.state));
  entity.Set("Error", storage::TruncateUtf8(row.error, kStringPartChars));
  entity.Set("ChunksTotal", row.chunks_total);
  entity.Set("ChunksDone", row.chunks_done);
  entity.Set("ChunksFailed", row.chunks_failed);
  entity.Set("FailedChunks", JoinIndices(row.failed_chunks).substr(0, kStringPartChars));
  entity.Set("Rows", row.rows);
  entity.Set("Rejected", row.rejected);
  // Callers keep results and specs within the limit (a result is a few KiB per 25 nations).
  (void)SetLongString(entity, "Result", row.result);
  (void)SetLongString(entity, "Spec", row.spec);
  SetTime(entity, "Created", row.created);
  SetTime(entity, "Started", row.started);
  SetTime(entity, "Finished", row.finished);
  SetTime(entity, "Revived", row.revived);
  entity.set_etag(row.etag);
  return entity;
}

storage::Result<JobRow> JobRowFromEntity(const Entity& entity) {
  JobRow row;
  row.job = entity.partition_key();
  const auto state = ParseJobState(StringOr(entity, "State"));
  if (!state) {
    return storage::Status::Corruption("job " + row.job + ": the job row has no valid State");
  }
  row.state = *state;
  row.pipeline = StringOr(entity, "Pipeline");
  row.container = StringOr(entity, "Container");
  row.blob = StringOr(entity, "Blob");
  row.blob_etag = StringOr(entity, "BlobETag");
  row.tenant = StringOr(entity, "Tenant");
  row.size = IntOr(entity, "Size");
  row.error = StringOr(entity, "Error");
  row.chunks_total = IntOr(entity, "ChunksTotal");
  row.chunks_done = IntOr(entity, "ChunksDone");
  row.chunks_failed = IntOr(entity, "ChunksFailed");
  row.failed_chunks = SplitIndices(StringOr(entity, "FailedChunks"));
  row.rows = IntOr(entity, "Rows");
  row.rejected = IntOr(entity, "Rejected");
  row.result = GetLongString(entity, "Result");
  row.spec = GetLongString(entity, "Spec");
  row.created = TimeOr(entity, "Created");
  row.started = TimeOr(entity, "Started");
  row.finished = TimeOr(entity, "Finished");
  row.revived = TimeOr(entity, "Revived");
  row.etag = entity.etag();
  return row;
}

Entity ChunkRowToEntity(const std::string& job, const ChunkRow& row) {
  Entity entity(job, ChunkRowKey(row.index));
  entity.Set("Chunk", static_cast<std::int64_t>(row.index));
  entity.Set("Begin", static_cast<std::int64_t>(row.begin));
  entity.Set("End", static_cast<std::int64_t>(row.end));
  entity.Set("State", ChunkStateName(row.state));
  entity.Set("Attempts", row.attempts);
  entity.Set("RetryBase", row.retry_base);
  entity.Set("Worker", row.worker);
  entity.Set("Rows", row.rows);
  entity.Set("Rejected", row.rejected);
  entity.Set("Milliseconds", row.milliseconds);
  entity.Set("Error", storage::TruncateUtf8(row.error, kStringPartChars));
  (void)SetLongString(entity, "Output", row.output);
  SetTime(entity, "Queued", row.queued);
  SetTime(entity, "Started", row.started);
  SetTime(entity, "Updated", row.updated);
  entity.set_etag(row.etag);
  return entity;
}

storage::Result<ChunkRow> ChunkRowFromEntity(const Entity& entity) {
  ChunkRow row;
  const auto state = ParseChunkState(StringOr(entity, "State"));
  if (!state) {
    return storage::Status::Corruption("job " + entity.partition_key() + ", " + entity.row_key() +
                                       ": no valid State");
  }
  row.state = *state;
  row.index = static_cast<std::uint32_t>(IntOr(entity, "Chunk"));
  row.begin = static_cast<std::uint64_t>(IntOr(entity, "Begin"));
  row.end = static_cast<std::uint64_t>(IntOr(entity, "End"));
  row.attempts = IntOr(entity, "Attempts");
  row.retry_base = IntOr(entity, "RetryBase");
  row.worker = StringOr(entity, "Worker");
  row.rows = IntOr(entity, "Rows");
  row.rejected = IntOr(entity, "Rejected");
  row.milliseconds = DoubleOr(entity, "Milliseconds");
  row.error = StringOr(entity, "Error");
  row.output = GetLongString(entity, "Output");
  row.queued = TimeOr(entity, "Queued");
  row.started = TimeOr(entity, "Started");
  row.updated = TimeOr(entity, "Updated");
  row.etag = entity.etag();
  return row;
}

}  // namespace fanfold::pipelines
