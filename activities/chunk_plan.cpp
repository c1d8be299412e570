#include "activities/chunk_plan.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

namespace fanfold::activities {
namespace {

nlohmann::json RangeJson(const ChunkRange& chunk) {
  return nlohmann::json{{"i", chunk.index}, {"b", chunk.begin}, {"e", chunk.end}};
}

storage::Result<ChunkRange> RangeFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return storage::Status::Corruption("chunk range is not a JSON object");
  const auto index = json.find("i");
  const auto begin = json.find("b");
  const auto end = json.find("e");
  if (index == json.end() || begin == json.end() || end == json.end() ||
      !index->is_number_unsigned() || !begin->is_number_unsigned() || !end->is_number_unsigned()) {
    return storage::Status::Corruption("chunk range needs unsigned integers i, b and e");
  }
  ChunkRange chunk;
  if (index->get<std::uint64_t>() >= kMaxChunks) {
    return storage::Status::Corruption("chunk index out of range");
  }
  chunk.index = static_cast<std::uint32_t>(index->get<std::uint64_t>());
  chunk.begin = begin->get<std::uint64_t>();
  chunk.end = end->get<std::uint64_t>();
  if (chunk.begin > chunk.end)
    return storage::Status::Corruption("chunk range ends before it begins");
  return chunk;
}

}  // namespace

storage::Result<ChunkPlan> PlanChunks(std::uint64_t file_size, std::uint32_t chunk_count) {
  if (chunk_count == 0 || chunk_count > kMaxChunks) {
    return storage::Status::InvalidArgument("chunk count must be between 1 and " +
                                            std::to_string(kMaxChunks));
  }
  const std::uint64_t count =
      std::max<std::uint64_t>(1, std::min<std::uint64_t>(chunk_count, file_size));
  // begin(i) = i*q + min(i, r): exact without computing i*file_size, which could overflow.
  const std::uint64_t quotient = file_size / count;
  const std::uint64_t remainder = file_size % count;
  ChunkPlan plan;
  plan.file_size = file_size;
  plan.chunks.reserve(count);
  std::uint64_t begin = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t size = quotient + (i < remainder ? 1 : 0);
    plan.chunks.push_back({static_cast<std::uint32_t>(i), begin, begin + size});
    begin += size;
  }
  return plan;
}

storage::Result<ChunkPlan> PlanChunksBySize(std::uint64_t file_size, std::uint64_t chunk_bytes) {
  if (chunk_bytes == 0) return storage::Status::InvalidArgument("chunk size must be positive");
  const std::uint64_t count =
      std::max<std::uint64_t>(1, file_size / chunk_bytes + (file_size % chunk_bytes != 0 ? 1 : 0));
  if (count > kMaxChunks) {
    return storage::Status::InvalidArgument("chunk size too small: the plan would exceed " +
                                            std::to_string(kMaxChunks) + " chunks");
  }
  ChunkPlan plan;
  plan.file_size = file_size;
  plan.chunks.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t begin = i * chunk_bytes;
    plan.chunks.push_back(
        {static_cast<std::uint32_t>(i), begin, std::min(file_size, begin + chunk_bytes)});
  }
  return plan;
}

ByteRange ReadWindow(const ChunkRange& chunk, std::uint64_t file_size, std::size_t max_line_bytes) {
  if (chunk.begin >= chunk.end) return {chunk.begin, chunk.begin};
  const std::uint64_t begin = chunk.begin > 0 ? chunk.begin - 1 : 0;
  const std::uint64_t headroom = std::numeric_limits<std::uint64_t>::max() - chunk.end;
  const std::uint64_t end =
      max_line_bytes > headroom ? file_size : std::min(file_size, chunk.end + max_line_bytes);
  return {begin, std::max(begin, end)};
}

std::string ChunkRangeToJson(const ChunkRange& chunk) {
  return RangeJson(chunk).dump();
}

storage::Result<ChunkRange> ChunkRangeFromJson(std::string_view text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return RangeFromJson(json);
}

std::string ChunkPlanToJson(const ChunkPlan& plan) {
  nlohmann::json chunks = nlohmann::json::array();
  for (const ChunkRange& chunk : plan.chunks)
    chunks.push_back(RangeJson(chunk));
  return nlohmann::json{{"size", plan.file_size}, {"chunks", std::move(chunks)}}.dump();
}

storage::Result<ChunkPlan> ChunkPlanFromJson(std::string_view text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return storage::Status::Corruption("chunk plan is not a JSON object");
  const auto size = json.find("size");
  const auto chunks = json.find("chunks");
  if (size == json.end() || !size->is_number_unsigned() || chunks == json.end() ||
      !chunks->is_array() || chunks->empty() || chunks->size() > kMaxChunks) {
    return storage::Status::Corruption("chunk plan needs a size and 1.." +
                                       std::to_string(kMaxChunks) + " chunks");
  }
  ChunkPlan plan;
  plan.file_size = size->get<std::uint64_t>();
  std::uint64_t expected_begin = 0;
  for (const nlohmann::json& item : *chunks) {
    auto chunk = RangeFromJson(item);
    if (!chunk.ok()) return chunk.status();
    if (chunk->index != plan.chunks.size() || chunk->begin != expected_begin) {
      return storage::Status::Corruption("chunk plan ranges are not contiguous and in order");
    }
    expected_begin = chunk->end;
    plan.chunks.push_back(*chunk);
  }
  if (expected_begin != plan.file_size) {
    return storage::Status::Corruption("chunk plan does not cover the file");
  }
  return plan;
}

}  // namespace fanfold::activities
