#include "pipelines/chained/chunk_groups.hpp"

#include <algorithm>

#include "queuestore/queue_validation.hpp"

namespace fanfold::pipelines::chained {

std::uint32_t ChunksPerMessage(std::uint32_t chunks, std::uint64_t file_bytes,
                               std::uint64_t min_message_bytes) {
  const std::uint32_t spread = (chunks + kSpreadMessages - 1) / kSpreadMessages;
  std::uint64_t by_bytes = 1;
  if (chunks > 0 && min_message_bytes > 0) {
    // ceil(min_message_bytes / (file_bytes / chunks)) without the rounding of the division; an
    // empty file's chunks weigh nothing, so they all go together.
    by_bytes = file_bytes == 0 ? kMaxChunksPerMessage
                               : (min_message_bytes * chunks + file_bytes - 1) / file_bytes;
  }
  std::uint64_t wanted = std::max<std::uint64_t>(spread, by_bytes);
  if (chunks > 0 && file_bytes > 0) {
    // floor(kMaxMessageBytes / (file_bytes / chunks)), at least one chunk.
    const std::uint64_t fit = kMaxMessageBytes * chunks / file_bytes;
    wanted = std::min<std::uint64_t>(wanted, std::max<std::uint64_t>(fit, 1));
  }
  return static_cast<std::uint32_t>(std::clamp<std::uint64_t>(wanted, 1, kMaxChunksPerMessage));
}

std::uint32_t MinChunkMessages(std::uint32_t chunks) {
  return (chunks + kMaxChunksPerMessage - 1) / kMaxChunksPerMessage;
}

PackedChunks PackChunkMessages(const ChunkMessage& header,
                               std::vector<activities::AggregateInput> inputs,
                               const ChunkPacking& packing) {
  const std::uint64_t file_bytes = inputs.empty() ? 0 : inputs.front().file_size;
  const std::uint32_t per_message =
      ChunksPerMessage(header.chunks, file_bytes, packing.min_message_bytes);
  PackedChunks packed;
  ChunkMessage group = header;
  group.inputs.clear();
  group.merge_inline = false;
  if (packing.allow_merge_inline && inputs.size() == header.chunks &&
      inputs.size() <= per_message) {
    group.inputs = inputs;
    group.merge_inline = true;
    std::string whole = ChunkMessageToJson(group);
    if (queuestore::EncodedMessageBytes(whole) <= kChunkMessageBudget) {
      packed.messages.push_back(std::move(whole));
      packed.merge_inline = true;
      return packed;
    }
    group.inputs.clear();
    group.merge_inline = false;
  }
  std::string text;  // group as JSON
  const auto flush = [&] {
    if (group.inputs.empty()) return;
    packed.messages.push_back(std::move(text));
    group.inputs.clear();
  };
  for (auto& input : inputs) {
    group.inputs.push_back(input);
    std::string candidate = ChunkMessageToJson(group);
    if (group.inputs.size() > 1 &&
        queuestore::EncodedMessageBytes(candidate) > kChunkMessageBudget) {
      group.inputs.pop_back();
      flush();
      group.inputs.push_back(std::move(input));
      candidate = ChunkMessageToJson(group);
    }
    text = std::move(candidate);
    if (group.inputs.size() >= per_message) flush();
  }
  flush();
  return packed;
}

std::size_t PartialEntriesBytes(const std::vector<std::string>& entries) {
  if (entries.size() == 1) return entries.front().size();
  std::size_t total = 0;
  for (const std::string& entry : entries)
    total += entry.size();
  return PartialGroupBytes(entries.size(), total);
}

std::vector<std::string> PackPartialEntries(const std::vector<std::string>& entries,
                                            std::size_t max_bytes) {
  std::vector<std::string> messages;
  std::vector<std::string> group;
  std::size_t group_bytes = 0;  // of the entries in `group`
  const auto flush = [&] {
    if (group.empty()) return;
    messages.push_back(group.size() == 1 ? group.front() : PartialGroupToJson(group));
    group.clear();
    group_bytes = 0;
  };
  for (const std::string& entry : entries) {
    if (!group.empty() &&
        PartialGroupBytes(group.size() + 1, group_bytes + entry.size()) > max_bytes) {
      flush();
    }
    group.push_back(entry);
    group_bytes += entry.size();
  }
  flush();
  return messages;
}

}  // namespace fanfold::pipelines::chained
